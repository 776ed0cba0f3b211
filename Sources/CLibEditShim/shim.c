#include "CLibEditShim.h"
#include <histedit.h>
int CLibEditShim_version(void) { return LIBEDIT_MAJOR; }
