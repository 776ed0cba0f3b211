#ifndef CLIBEDIT_SHIM_H
#define CLIBEDIT_SHIM_H
/// Placeholder; the REPL issue fills this shim with wrappers for libedit's variadic calls.
int CLibEditShim_version(void);
#endif
