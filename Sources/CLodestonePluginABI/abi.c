#include "lodestone_plugin.h"

uint32_t lodestone_plugin_abi_version(void) { return LODESTONE_PLUGIN_ABI_VERSION; }

uint32_t lodestone_plugin_size_revision_1(void) { return (uint32_t)LODESTONE_PLUGIN_SIZE_REVISION_1; }
