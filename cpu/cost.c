#include "cpu/cost.h"
#include "sim/host.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Loosely a small in-order core at 1 GHz: single-cycle ALU and branches,
 * a multi-cycle multiplier and divider, L1-hit loads. Device accesses cost
 * more because they leave the core. Every cost is at least 1: the run loop
 * relies on it to stop exactly at --max-insns. */
const struct cost_table cost_default = {
    .cycles =
        {
            [COST_ALU] = 1,
            [COST_MUL] = 3,
            [COST_DIV] = 12,
            [COST_BRANCH] = 1,
            [COST_LOAD] = 3,
            [COST_STORE] = 1,
            [COST_MMIO] = 20,
            [COST_SYSREG] = 2,
            [COST_BARRIER] = 4,
            [COST_HINT] = 1,
            [COST_EXCEPTION] = 20,
            [COST_EXC_ENTRY] = 10,
            [COST_FP] = 3,
            [COST_SIMD] = 2,
        },
};

static const char *const names[COST_NR] = {
    [COST_ALU] = "alu",
    [COST_MUL] = "mul",
    [COST_DIV] = "div",
    [COST_BRANCH] = "branch",
    [COST_LOAD] = "load",
    [COST_STORE] = "store",
    [COST_MMIO] = "mmio",
    [COST_SYSREG] = "sysreg",
    [COST_BARRIER] = "barrier",
    [COST_HINT] = "hint",
    [COST_EXCEPTION] = "exception",
    [COST_EXC_ENTRY] = "exc_entry",
    [COST_FP] = "fp",
    [COST_SIMD] = "simd",
};

const char *cost_class_name(enum cost_class k)
{
    return (unsigned)k < COST_NR ? names[k] : "?";
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = 0;
    return s;
}

static int class_by_name(const char *name)
{
    for (int k = 0; k < COST_NR; k++)
        if (!strcmp(names[k], name))
            return k;
    return -1;
}

static bool parse_line(struct cost_table *t, char *line, const char *path, unsigned lineno,
                       char *err, size_t errlen)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = 0;
    char *text = trim(line);
    if (!*text)
        return true;
    char *eq = strchr(text, '=');
    if (!eq) {
        snprintf(err, errlen, "%s:%u: expected 'class = cycles', got '%s'", path, lineno, text);
        host_escape_controls(err, errlen);
        return false;
    }
    *eq = 0;
    char *name = trim(text), *value = trim(eq + 1);
    int k = class_by_name(name);
    if (k < 0) {
        char list[256] = "";
        for (int c = 0; c < COST_NR; c++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", c ? " " : "",
                     names[c]);
        snprintf(err, errlen, "%s:%u: unknown cost class '%s' (classes: %s)", path, lineno, name,
                 list);
        host_escape_controls(err, errlen);
        return false;
    }
    char *end;
    errno = 0;
    unsigned long v = strtoul(value, &end, 10);
    if (errno || end == value || *end || value[0] == '-' || v < 1 || v > COST_MAX) {
        snprintf(err, errlen, "%s:%u: cost of '%s' must be a whole number from 1 to %d, got '%s'",
                 path, lineno, name, COST_MAX, value);
        host_escape_controls(err, errlen);
        return false;
    }
    t->cycles[k] = (uint32_t)v;
    return true;
}

bool cost_table_load(struct cost_table *t, const char *path, char *err, size_t errlen)
{
    char why[128];
    int fd = host_open_input(path, why, sizeof(why));
    FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open cost table: %s", path,
                 fd < 0 ? why : strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    char line[512];
    unsigned lineno = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof(line), f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s:%u: line longer than %zu characters", path, lineno,
                     sizeof(line) - 2);
            ok = false;
            break;
        }
        ok = parse_line(t, line, path, lineno, err, errlen);
    }
    fclose(f);
    return ok;
}
