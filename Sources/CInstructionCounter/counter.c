#include "CInstructionCounter.h"

#include <errno.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/perf_event.h>
#include <string.h>
#include <sys/syscall.h>

int CInstructionCounter_open(void) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_HARDWARE;
    attr.config = PERF_COUNT_HW_INSTRUCTIONS;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    /* This thread (pid 0) on any processor (cpu -1), counting from now. */
    long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
    return fd < 0 ? -errno : (int)fd;
}

int64_t CInstructionCounter_read(int fd) {
    uint64_t count = 0;
    return read(fd, &count, sizeof count) == (ssize_t)sizeof count ? (int64_t)count : -1;
}

void CInstructionCounter_close(int fd) { close(fd); }

#else

int CInstructionCounter_open(void) { return -ENOSYS; }
int64_t CInstructionCounter_read(int fd) { (void)fd; return -1; }
void CInstructionCounter_close(int fd) { (void)fd; }

#endif
