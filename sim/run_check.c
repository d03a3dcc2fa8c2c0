/* Checks on the end of a run: a small expression language, parsed by
 * recursive descent into a tree and evaluated on the stopped machine
 * (sim/run_check.h). */
#include "sim/run_check.h"

#include <ctype.h>
#include <inttypes.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf.h"
#include "sim/host.h"

enum op {
    OP_NUM,
    OP_EXIT,
    OP_CYCLES,
    OP_INSNS,
    OP_DEADLOCK,
    OP_REG, /* pe, reg: 0..30 X, 31 SP, 32 PC, 33 EL */
    OP_MEM, /* size bytes at l */
    OP_SYM,
    OP_OR,
    OP_AND,
    OP_NOT,
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_BOR,
    OP_BAND,
    OP_ADD,
    OP_SUB,
    OP_MATCH,   /* output ~ re */
    OP_NOMATCH, /* output !~ re */
};

struct node {
    enum op op;
    uint64_t num;
    unsigned pe, reg, size;
    char *name;
    regex_t re;
    struct node *l, *r;
};

struct run_check {
    char *text;
    struct node *root;
};

struct parser {
    const char *s;
    size_t pos;
    char *err;
    size_t errlen;
    bool failed;
};

static struct node *node_new(enum op op)
{
    struct node *n = calloc(1, sizeof *n);
    if (!n)
        host_out_of_memory();
    n->op = op;
    return n;
}

static void node_free(struct node *n)
{
    if (!n)
        return;
    node_free(n->l);
    node_free(n->r);
    if (n->op == OP_MATCH || n->op == OP_NOMATCH)
        regfree(&n->re);
    free(n->name);
    free(n);
}

static void fail_at(struct parser *p, const char *what)
{
    if (!p->failed)
        snprintf(p->err, p->errlen, "%s at column %zu", what, p->pos + 1);
    p->failed = true;
}

static void skip_space(struct parser *p)
{
    while (isspace((unsigned char)p->s[p->pos]))
        p->pos++;
}

/* Consume TOK if the input continues with it (after spaces). */
static bool accept(struct parser *p, const char *tok)
{
    skip_space(p);
    size_t n = strlen(tok);
    if (strncmp(p->s + p->pos, tok, n) != 0)
        return false;
    /* "|" and "&" are not the first half of "||" and "&&"; "!" not of "!=" or "!~". */
    char next = p->s[p->pos + n];
    if (n == 1 && (tok[0] == '|' || tok[0] == '&') && next == tok[0])
        return false;
    if (n == 1 && tok[0] == '!' && (next == '=' || next == '~'))
        return false;
    if (n == 1 && (tok[0] == '<' || tok[0] == '>') && next == '=')
        return false;
    p->pos += n;
    return true;
}

static bool ident_char(char c, bool first)
{
    return isalpha((unsigned char)c) || c == '_' || c == '$' || c == '.' ||
           (!first && isdigit((unsigned char)c));
}

static struct node *parse_or(struct parser *p);

static struct node *binary(enum op op, struct node *l, struct node *r)
{
    struct node *n = node_new(op);
    n->l = l;
    n->r = r;
    return n;
}

/* peN.xM, peN.sp, peN.pc, peN.el into N; false when NAME is not one. */
static bool reg_name(const char *name, struct node *n)
{
    unsigned pe, reg;
    int used = 0;
    char what[4];
    if (sscanf(name, "pe%u.%3[a-z]%n", &pe, what, &used) == 2 && name[used] == 0 && pe < 64) {
        static const char *const named[] = {"sp", "pc", "el"};
        for (unsigned k = 0; k < 3; k++) {
            if (!strcmp(what, named[k])) {
                n->pe = pe;
                n->reg = 31 + k;
                return true;
            }
        }
        return false;
    }
    if (sscanf(name, "pe%u.x%u%n", &pe, &reg, &used) == 2 && name[used] == 0 && pe < 64 &&
        reg <= 30) {
        n->pe = pe;
        n->reg = reg;
        return true;
    }
    return false;
}

static struct node *parse_primary(struct parser *p)
{
    skip_space(p);
    const char *at = p->s + p->pos;
    if (accept(p, "(")) {
        struct node *n = parse_or(p);
        if (!accept(p, ")"))
            fail_at(p, "expected ')'");
        return n;
    }
    if (isdigit((unsigned char)*at)) {
        char *end;
        struct node *n = node_new(OP_NUM);
        n->num = strtoull(at, &end, 0);
        if (ident_char(*end, false)) {
            fail_at(p, "not a number");
            return n;
        }
        p->pos += (size_t)(end - at);
        return n;
    }
    if (!ident_char(*at, true)) {
        fail_at(p, *at ? "expected a value" : "expression ends early");
        return node_new(OP_NUM);
    }
    size_t len = 0;
    while (ident_char(at[len], len == 0))
        len++;
    char *name = malloc(len + 1);
    if (!name)
        host_out_of_memory();
    memcpy(name, at, len);
    name[len] = 0;
    p->pos += len;

    static const struct {
        const char *name;
        enum op op;
    } words[] = {
        {"exit", OP_EXIT}, {"cycles", OP_CYCLES}, {"insns", OP_INSNS}, {"deadlock", OP_DEADLOCK}};
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        if (!strcmp(name, words[k].name)) {
            free(name);
            return node_new(words[k].op);
        }
    }
    unsigned bits;
    int used = 0;
    if (sscanf(name, "mem%u%n", &bits, &used) == 1 && name[used] == 0) {
        struct node *n = node_new(OP_MEM);
        free(name);
        if (bits != 8 && bits != 16 && bits != 32 && bits != 64) {
            fail_at(p, "memory is read as mem8, mem16, mem32 or mem64");
            return n;
        }
        n->size = bits / 8;
        if (!accept(p, "["))
            fail_at(p, "expected '[' after memN");
        n->l = parse_or(p);
        if (!accept(p, "]"))
            fail_at(p, "expected ']'");
        return n;
    }
    if (!strcmp(name, "output")) {
        free(name);
        fail_at(p, "output is only compared with ~ \"REGEX\" or !~ \"REGEX\"");
        return node_new(OP_NUM);
    }
    struct node *n = node_new(OP_REG);
    if (reg_name(name, n)) {
        free(name);
        return n;
    }
    if (!strncmp(name, "pe", 2) && isdigit((unsigned char)name[2]) && strchr(name, '.')) {
        free(name);
        fail_at(p, "a register is peN.x0 to peN.x30, peN.sp, peN.pc or peN.el");
        return n;
    }
    n->op = OP_SYM;
    n->name = name;
    return n;
}

static struct node *parse_sum(struct parser *p)
{
    struct node *n = parse_primary(p);
    for (;;) {
        if (accept(p, "+"))
            n = binary(OP_ADD, n, parse_primary(p));
        else if (accept(p, "-"))
            n = binary(OP_SUB, n, parse_primary(p));
        else
            return n;
    }
}

static struct node *parse_bits(struct parser *p)
{
    struct node *n = parse_sum(p);
    for (;;) {
        if (accept(p, "&"))
            n = binary(OP_BAND, n, parse_sum(p));
        else if (accept(p, "|"))
            n = binary(OP_BOR, n, parse_sum(p));
        else
            return n;
    }
}

/* "..." with \" and \\ escapes; the regular expression compiled into N. */
static void parse_regex(struct parser *p, struct node *n)
{
    skip_space(p);
    if (p->s[p->pos] != '"') {
        fail_at(p, "expected a \"quoted\" regular expression");
        return;
    }
    size_t cap = strlen(p->s) + 1, k = 0;
    char *re = malloc(cap);
    if (!re)
        host_out_of_memory();
    p->pos++;
    while (p->s[p->pos] && p->s[p->pos] != '"') {
        if (p->s[p->pos] == '\\' && (p->s[p->pos + 1] == '"' || p->s[p->pos + 1] == '\\'))
            p->pos++;
        re[k++] = p->s[p->pos++];
    }
    re[k] = 0;
    if (p->s[p->pos] != '"') {
        free(re);
        fail_at(p, "the regular expression has no closing '\"'");
        return;
    }
    p->pos++;
    int rc = regcomp(&n->re, re, REG_EXTENDED | REG_NOSUB | REG_NEWLINE);
    free(re);
    if (rc != 0) {
        char why[160], what[200];
        regerror(rc, NULL, why, sizeof why);
        snprintf(what, sizeof what, "not a regular expression (%s)", why);
        n->op = OP_NUM; /* nothing to regfree */
        fail_at(p, what);
    }
}

static struct node *parse_cmp(struct parser *p)
{
    skip_space(p);
    if (!strncmp(p->s + p->pos, "output", 6) && !ident_char(p->s[p->pos + 6], false)) {
        p->pos += 6;
        struct node *n = node_new(OP_MATCH);
        if (accept(p, "!~"))
            n->op = OP_NOMATCH;
        else if (!accept(p, "~")) {
            n->op = OP_NUM;
            fail_at(p, "output is only compared with ~ \"REGEX\" or !~ \"REGEX\"");
            return n;
        }
        parse_regex(p, n);
        return n;
    }
    struct node *n = parse_bits(p);
    static const struct {
        const char *tok;
        enum op op;
    } ops[] = {{"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE},
               {">=", OP_GE}, {"<", OP_LT},  {">", OP_GT}};
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
        if (accept(p, ops[k].tok))
            return binary(ops[k].op, n, parse_bits(p));
    return n;
}

static struct node *parse_not(struct parser *p)
{
    if (accept(p, "!"))
        return binary(OP_NOT, parse_not(p), NULL);
    return parse_cmp(p);
}

static struct node *parse_and(struct parser *p)
{
    struct node *n = parse_not(p);
    while (!p->failed && accept(p, "&&"))
        n = binary(OP_AND, n, parse_not(p));
    return n;
}

static struct node *parse_or(struct parser *p)
{
    struct node *n = parse_and(p);
    while (!p->failed && accept(p, "||"))
        n = binary(OP_OR, n, parse_and(p));
    return n;
}

struct run_check *run_check_parse(const char *text, char *err, size_t errlen)
{
    struct parser p = {.s = text, .err = err, .errlen = errlen};
    struct node *root = parse_or(&p);
    skip_space(&p);
    if (!p.failed && p.s[p.pos])
        fail_at(&p, "unexpected text");
    if (p.failed) {
        node_free(root);
        return NULL;
    }
    struct run_check *c = malloc(sizeof *c);
    char *copy = strdup(text);
    if (!c || !copy)
        host_out_of_memory();
    c->text = copy;
    c->root = root;
    return c;
}

void run_check_free(struct run_check *c)
{
    if (!c)
        return;
    node_free(c->root);
    free(c->text);
    free(c);
}

const char *run_check_text(const struct run_check *c)
{
    return c->text;
}

struct env {
    struct machine *m;
    const struct run_result *r;
    const char *output;
    char *err;
    size_t errlen;
    bool failed;
};

static uint64_t eval(const struct node *n, struct env *e)
{
    if (e->failed)
        return 0;
    switch (n->op) {
    case OP_NUM: return n->num;
    case OP_EXIT: return (uint64_t)(int64_t)e->r->exit_code;
    case OP_CYCLES: return e->r->cycles;
    case OP_INSNS: return e->r->insns;
    case OP_DEADLOCK: return e->r->reason == RUN_DEADLOCK;
    case OP_REG:
        if (n->pe >= machine_cpu_count(e->m)) {
            snprintf(e->err, e->errlen, "pe%u: the machine has %u PE%s", n->pe,
                     machine_cpu_count(e->m), machine_cpu_count(e->m) == 1 ? "" : "s");
            e->failed = true;
            return 0;
        }
        return machine_cpu_reg(e->m, n->pe, n->reg);
    case OP_MEM: {
        uint64_t va = eval(n->l, e);
        uint8_t b[8];
        if (e->failed)
            return 0;
        if (!machine_read_guest(e->m, 0, va, b, n->size)) {
            snprintf(e->err, e->errlen, "mem%u[0x%" PRIx64 "]: not RAM as PE 0 sees it",
                     n->size * 8, va);
            e->failed = true;
            return 0;
        }
        uint64_t v = 0;
        for (unsigned k = n->size; k-- > 0;)
            v = v << 8 | b[k];
        return v;
    }
    case OP_SYM: {
        uint64_t addr;
        const struct elf_image *img = machine_image(e->m);
        if (!img || !elf_symbol_addr(img, n->name, &addr)) {
            snprintf(e->err, e->errlen, "%s: no such symbol in the image", n->name);
            e->failed = true;
            return 0;
        }
        return addr;
    }
    case OP_OR: return eval(n->l, e) || eval(n->r, e);
    case OP_AND: return eval(n->l, e) && eval(n->r, e);
    case OP_NOT: return !eval(n->l, e);
    case OP_EQ: return eval(n->l, e) == eval(n->r, e);
    case OP_NE: return eval(n->l, e) != eval(n->r, e);
    case OP_LT: return eval(n->l, e) < eval(n->r, e);
    case OP_LE: return eval(n->l, e) <= eval(n->r, e);
    case OP_GT: return eval(n->l, e) > eval(n->r, e);
    case OP_GE: return eval(n->l, e) >= eval(n->r, e);
    case OP_BOR: return eval(n->l, e) | eval(n->r, e);
    case OP_BAND: return eval(n->l, e) & eval(n->r, e);
    case OP_ADD: return eval(n->l, e) + eval(n->r, e);
    case OP_SUB: return eval(n->l, e) - eval(n->r, e);
    case OP_MATCH: return regexec(&n->re, e->output, 0, NULL, 0) == 0;
    case OP_NOMATCH: return regexec(&n->re, e->output, 0, NULL, 0) != 0;
    }
    return 0;
}

bool run_check_eval(const struct run_check *c, struct machine *m, const struct run_result *r,
                    const char *output, bool *holds, char *err, size_t errlen)
{
    struct env e = {.m = m, .r = r, .output = output ? output : "", .err = err, .errlen = errlen};
    uint64_t v = eval(c->root, &e);
    *holds = v != 0;
    return !e.failed;
}
