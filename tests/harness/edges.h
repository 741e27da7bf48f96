/* SPDX-License-Identifier: MIT */
/*
 * The edges every side tests the tutorial's exchange at, one list for the
 * core's unit tests and both drivers' end-to-end tests: the reply is 22
 * bytes (23 with its NUL) and the tutorial's buffer 128. A test file turns
 * a list into one test per edge and into the RUN_TEST lines.
 */
#ifndef SPOTLESS_TEST_EDGES_H
#define SPOTLESS_TEST_EDGES_H

/* Rooms for the reply: none, too small, one short of the text, the text
 * without its NUL, exactly, the tutorial's. */
#define SPOTLESS_REPLY_ROOM_EDGES(X) X(0) X(4) X(21) X(22) X(23) X(128)

/* Message lengths in the tutorial's 128-byte buffer, NUL-terminated. */
#define SPOTLESS_MESSAGE_EDGES(X) X(1) X(21) X(22) X(127)

#endif /* SPOTLESS_TEST_EDGES_H */
