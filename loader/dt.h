/* Building a flattened device tree (libfdt's sequential writer) with the
 * few property shapes a board needs. Errors stick: after the first one
 * (the tree grew past its limit) every call does nothing and dt_finish
 * reports it, so a device's node function need not check each call. */
#ifndef LOADER_DT_H
#define LOADER_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dt;

/* A tree of at most MAX bytes; NULL when memory runs out. */
struct dt *dt_new(size_t max);
void dt_free(struct dt *t);

/* Open a node (the root is "") or close the innermost one. */
void dt_begin(struct dt *t, const char *name);
void dt_end(struct dt *t);

void dt_empty(struct dt *t, const char *prop);
void dt_u32(struct dt *t, const char *prop, uint32_t v);
/* N 32-bit cells. */
void dt_cells(struct dt *t, const char *prop, const uint32_t *v, size_t n);
/* N 64-bit values, each as two cells (#address-cells = #size-cells = 2). */
void dt_u64s(struct dt *t, const char *prop, const uint64_t *v, size_t n);
void dt_string(struct dt *t, const char *prop, const char *s);
/* A string list: N strings, each NUL-terminated, one after the other. */
void dt_strings(struct dt *t, const char *prop, const char *const *s, size_t n);
void dt_bytes(struct dt *t, const char *prop, const void *data, size_t n);

/* A fresh phandle (1, 2, ...) for the node about to be given it. */
uint32_t dt_new_phandle(struct dt *t);

/* Close the tree: the blob (owned by T until dt_free) and its size, or
 * false with the reason in ERR. */
bool dt_finish(struct dt *t, const void **blob, size_t *size, char *err, size_t errlen);

/* Copy the tree IN into OUT (CAP bytes) with /chosen's bootargs (when
 * BOOTARGS is not NULL) and linux,initrd-start/end (when END > START) set,
 * /chosen created if missing; the result's size in *SIZE. */
bool dt_set_chosen(const void *in, void *out, size_t cap, const char *bootargs, uint64_t start,
                   uint64_t end, size_t *size, char *err, size_t errlen);

/* Whether BLOB (SIZE bytes) is a well-formed device tree; if not, why in ERR. */
bool dt_check(const void *blob, size_t size, char *err, size_t errlen);

#endif
