#ifndef CINSTRUCTION_COUNTER_H
#define CINSTRUCTION_COUNTER_H

/*
 * The calling thread's retired user-space instructions, from the processor's hardware counter
 * through Linux's perf_event_open (which Swift cannot call: it is reached through the variadic
 * syscall()). `lodestone bench` reads it around its ensembles. Elsewhere than Linux, and where the
 * machine gives no such counter (many virtual machines), opening fails with an errno.
 */

#include <stdint.h>

/* Opens a counter of the calling thread's user-space instructions, started at 0. Returns a file
   descriptor (>= 0), or -errno when the system cannot count them (ENOENT or EOPNOTSUPP: no
   hardware counter; EACCES or EPERM: not allowed by kernel.perf_event_paranoid; ENOSYS: not
   Linux). */
int CInstructionCounter_open(void);
/* The instructions counted so far by the counter `fd`, or -1 if it cannot be read. */
int64_t CInstructionCounter_read(int fd);
/* Closes the counter. */
void CInstructionCounter_close(int fd);

#endif
