#include "lodestone_plugin.h"

uint32_t lodestone_plugin_abi_version(void) { return LODESTONE_PLUGIN_ABI_VERSION; }
