/* SPDX-License-Identifier: MIT */
/*
 * The spotless wire contract, the one header every side includes: the
 * protocol (wire_protocol.h), its Windows names and codes (wire_windows.h)
 * and, when built for Linux, the misc device's ioctls (wire_linux.h).
 */
#ifndef SPOTLESS_WIRE_H
#define SPOTLESS_WIRE_H

#include "spotless/wire_protocol.h"
#include "spotless/wire_windows.h"
#ifdef __linux__
#include "spotless/wire_linux.h"
#endif

#endif /* SPOTLESS_WIRE_H */
