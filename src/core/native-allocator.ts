/**
 * oxc-parser's native binding allocates with mimalloc, which by default asks the kernel for
 * transparent huge pages for its arenas. Every huge page a parse touches first is then zeroed
 * whole by the kernel, and on a virtual machine whose free memory goes back to the host (free page
 * reporting, as on Firecracker) each such page also costs a round trip to the host: on such
 * machines a migrate run spent most of its time in the kernel, and a different amount each run
 * (docs/benchmarks.md). With ordinary pages the same parses cost the same user time, steadily,
 * and the process stays smaller. mimalloc reads its options from the environment when the
 * binding loads, so this module is imported before oxc-parser (header.ts). A value the user set
 * is kept.
 */
process.env['MIMALLOC_ALLOW_THP'] ??= '0';
