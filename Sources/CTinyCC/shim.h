// libtcc as Swift sees it. Debian's libtcc-dev (0.9.27+git20200814) is the version of record;
// newer TinyCC changed tcc_relocate (one argument) and tcc_set_options (returns int), so Swift
// calls only the adjoint_tcc_* wrappers below and the differences stay in this file.
#ifndef ADJOINT_CTINYCC_SHIM_H
#define ADJOINT_CTINYCC_SHIM_H

#if defined(__has_include)
#if !__has_include(<libtcc.h>)
#error "Adjoint needs libtcc, which is not installed: on Debian or Ubuntu, apt-get install libtcc-dev"
#endif
#endif
#include <libtcc.h>

/// Compile into memory with no C library: every external is given with tcc_add_symbol.
static inline void adjoint_tcc_configure(TCCState *s) {
    tcc_set_options(s, "-nostdlib");
    tcc_set_output_type(s, TCC_OUTPUT_MEMORY);
}

/// Relocate into memory that libtcc allocates itself. Returns 0 on success, -1 on failure.
static inline int adjoint_tcc_relocate(TCCState *s) {
#ifdef TCC_RELOCATE_AUTO
    return tcc_relocate(s, TCC_RELOCATE_AUTO);
#else
    return tcc_relocate(s);
#endif
}

#endif
