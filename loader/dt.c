/* Device-tree building on libfdt's sequential-write functions (see
 * loader/dt.h). */
#include "loader/dt.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dt {
    void *buf;
    size_t max;
    int error;        /* the first libfdt error, 0 while none */
    uint32_t phandle; /* the last phandle handed out */
    bool finished;
};

static void note(struct dt *t, int rc)
{
    if (rc < 0 && !t->error)
        t->error = rc;
}

struct dt *dt_new(size_t max)
{
    struct dt *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->buf = calloc(1, max);
    if (!t->buf) {
        free(t);
        return NULL;
    }
    t->max = max;
    note(t, fdt_create(t->buf, (int)max));
    note(t, fdt_finish_reservemap(t->buf));
    return t;
}

void dt_free(struct dt *t)
{
    if (!t)
        return;
    free(t->buf);
    free(t);
}

void dt_begin(struct dt *t, const char *name)
{
    if (!t->error)
        note(t, fdt_begin_node(t->buf, name));
}

void dt_end(struct dt *t)
{
    if (!t->error)
        note(t, fdt_end_node(t->buf));
}

void dt_bytes(struct dt *t, const char *prop, const void *data, size_t n)
{
    if (!t->error)
        note(t, fdt_property(t->buf, prop, data, (int)n));
}

void dt_empty(struct dt *t, const char *prop)
{
    dt_bytes(t, prop, NULL, 0);
}

void dt_u32(struct dt *t, const char *prop, uint32_t v)
{
    dt_cells(t, prop, &v, 1);
}

void dt_cells(struct dt *t, const char *prop, const uint32_t *v, size_t n)
{
    fdt32_t be[16];
    if (n > sizeof be / sizeof be[0]) {
        note(t, -FDT_ERR_BADVALUE);
        return;
    }
    for (size_t i = 0; i < n; i++)
        be[i] = cpu_to_fdt32(v[i]);
    dt_bytes(t, prop, be, n * sizeof be[0]);
}

void dt_u64s(struct dt *t, const char *prop, const uint64_t *v, size_t n)
{
    fdt64_t be[8];
    if (n > sizeof be / sizeof be[0]) {
        note(t, -FDT_ERR_BADVALUE);
        return;
    }
    for (size_t i = 0; i < n; i++)
        be[i] = cpu_to_fdt64(v[i]);
    dt_bytes(t, prop, be, n * sizeof be[0]);
}

void dt_string(struct dt *t, const char *prop, const char *s)
{
    dt_bytes(t, prop, s, strlen(s) + 1);
}

void dt_strings(struct dt *t, const char *prop, const char *const *s, size_t n)
{
    char buf[256];
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(s[i]) + 1;
        if (used + len > sizeof buf) {
            note(t, -FDT_ERR_BADVALUE);
            return;
        }
        memcpy(buf + used, s[i], len);
        used += len;
    }
    dt_bytes(t, prop, buf, used);
}

uint32_t dt_new_phandle(struct dt *t)
{
    return ++t->phandle;
}

bool dt_finish(struct dt *t, const void **blob, size_t *size, char *err, size_t errlen)
{
    if (!t->finished && !t->error) {
        note(t, fdt_finish(t->buf));
        t->finished = true;
    }
    if (t->error) {
        snprintf(err, errlen, "the device tree cannot be built: %s%s", fdt_strerror(t->error),
                 t->error == -FDT_ERR_NOSPACE ? " (larger than its limit)" : "");
        return false;
    }
    *blob = t->buf;
    *size = fdt_totalsize(t->buf);
    return true;
}

bool dt_set_chosen(const void *in, void *out, size_t cap, const char *bootargs, uint64_t start,
                   uint64_t end, size_t *size, char *err, size_t errlen)
{
    int rc = fdt_open_into(in, out, (int)cap);
    int node = rc < 0 ? rc : fdt_path_offset(out, "/chosen");
    if (node == -FDT_ERR_NOTFOUND)
        node = fdt_add_subnode(out, 0, "chosen");
    rc = node < 0 ? node : 0;
    if (rc == 0 && bootargs)
        rc = fdt_setprop_string(out, node, "bootargs", bootargs);
    if (rc == 0 && end > start)
        rc = fdt_setprop_u64(out, node, "linux,initrd-start", start);
    if (rc == 0 && end > start)
        rc = fdt_setprop_u64(out, node, "linux,initrd-end", end);
    if (rc == 0)
        rc = fdt_pack(out);
    if (rc < 0) {
        snprintf(err, errlen, "cannot set /chosen: %s", fdt_strerror(rc));
        return false;
    }
    *size = fdt_totalsize(out);
    return true;
}

bool dt_check(const void *blob, size_t size, char *err, size_t errlen)
{
    if (size < sizeof(struct fdt_header)) {
        snprintf(err, errlen, "not a device tree blob (%zu bytes, shorter than its header)", size);
        return false;
    }
    int rc = fdt_check_header(blob);
    if (rc == 0 && fdt_totalsize(blob) > size)
        rc = -FDT_ERR_TRUNCATED;
    if (rc == 0)
        rc = fdt_check_full(blob, size);
    if (rc != 0) {
        snprintf(err, errlen, "not a valid device tree blob: %s", fdt_strerror(rc));
        return false;
    }
    return true;
}
