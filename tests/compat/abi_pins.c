// SPDX-License-Identifier: MIT
/*
 * Every value the protocol has published, pinned: the codes, the Linux ioctl
 * numbers, the capability bits, the statuses and counter slots, and the first
 * versions' structure sizes, as 0.4.0 shipped them (tests/compat/v0.4.0 holds
 * those headers). Built by make test; a changed value fails the build.
 */
#include "spotless/wire.h"
#include "spotless/wire_linux.h"

#define PIN(what, value) _Static_assert((what) == (value), #what " keeps its value")

PIN(IOCTL_SPOTLESS, 0x00228124u);
PIN(IOCTL_SPOTLESS_INFO, 0x00222000u);
PIN(IOCTL_SPOTLESS_STATS, 0x00226004u);
PIN(IOCTL_SPOTLESS_ECHO_BUFFERED, 0x00222008u);
PIN(IOCTL_SPOTLESS_ECHO_IN_DIRECT, 0x0022200Du);
PIN(IOCTL_SPOTLESS_ECHO_OUT_DIRECT, 0x00222012u);
PIN(IOCTL_SPOTLESS_BATCH, 0x0022E016u);
PIN(IOCTL_SPOTLESS_POST, 0x0022A018u);
PIN(IOCTL_SPOTLESS_WAIT_EVENT, 0x0022601Cu);
/* 0.5.0: read and write access, as a raw-pointer method needs (0.4.0's
 * 0x00222023, any access, is no command any more). */
PIN(IOCTL_SPOTLESS_ECHO_NEITHER, 0x0022E023u);

PIN(SPOTLESS_IOC_MESSAGE, 0xC030D501u);
PIN(SPOTLESS_IOC_INFO, 0x8038D502u);
PIN(SPOTLESS_IOC_STATS, 0x8240D503u);
PIN(SPOTLESS_IOC_ECHO, 0xC028D504u);
PIN(SPOTLESS_IOC_BATCH, 0xC028D505u);
PIN(SPOTLESS_IOC_POST, 0x4010D506u);
PIN(SPOTLESS_IOC_WAIT_EVENT, 0x8068D507u);

PIN(SPOTLESS_CAP_MESSAGE, 1ull << 0);
PIN(SPOTLESS_CAP_INFO, 1ull << 1);
PIN(SPOTLESS_CAP_STATS, 1ull << 2);
PIN(SPOTLESS_CAP_ECHO, 1ull << 3);
PIN(SPOTLESS_CAP_ECHO_DIRECT, 1ull << 4);
PIN(SPOTLESS_CAP_BATCH, 1ull << 5);
PIN(SPOTLESS_CAP_EVENTS, 1ull << 6);
PIN(SPOTLESS_CAP_CRC32C_INSTRUCTION, 1ull << 7);
PIN(SPOTLESS_CAP_ECHO_NEITHER, 1ull << 8);

PIN(SPOTLESS_STATUS_OK, 0);
PIN(SPOTLESS_STATUS_UNKNOWN_CODE, 1);
PIN(SPOTLESS_STATUS_EMPTY_INPUT, 2);
PIN(SPOTLESS_STATUS_INPUT_TOO_LARGE, 3);
PIN(SPOTLESS_STATUS_OUTPUT_TOO_SMALL, 4);
PIN(SPOTLESS_STATUS_UNEXPECTED_INPUT, 5);
PIN(SPOTLESS_STATUS_CHECKSUM_MISMATCH, 6);
PIN(SPOTLESS_STATUS_BAD_BATCH, 7);
PIN(SPOTLESS_STATUS_NOT_BATCHABLE, 8);
PIN(SPOTLESS_STATUS_BAD_REQUEST, 9);
PIN(SPOTLESS_STATUS_ACCESS_DENIED, 10);

PIN(SPOTLESS_STAT_MESSAGE, 0);
PIN(SPOTLESS_STAT_INFO, 1);
PIN(SPOTLESS_STAT_STATS, 2);
PIN(SPOTLESS_STAT_ECHO, 3);
PIN(SPOTLESS_STAT_BATCH, 4);
PIN(SPOTLESS_STAT_POST, 5);
PIN(SPOTLESS_STAT_WAIT_EVENT, 6);
PIN(SPOTLESS_STAT_UNKNOWN, 15);
PIN(SPOTLESS_STAT_SLOTS, 16);

PIN(sizeof(struct spotless_info), 56);
PIN(sizeof(struct spotless_stats), 576);
PIN(sizeof(struct spotless_event), 104);
PIN(sizeof(struct spotless_echo_trailer), 8);
PIN(sizeof(struct spotless_batch_header), 16);
PIN(sizeof(struct spotless_batch_record), 16);
PIN(sizeof(struct spotless_batch_result), 16);
PIN(sizeof(struct spotless_ioc_message), 48);
PIN(sizeof(struct spotless_ioc_echo), 40);
PIN(sizeof(struct spotless_ioc_batch), 40);
PIN(sizeof(struct spotless_ioc_post), 16);
PIN(sizeof(struct spotless_ioc_call), 40);

int main(void)
{
	return 0;
}
