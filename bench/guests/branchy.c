/*
 * Bench guest: branch-heavy code whose direction depends on the data — a
 * small register bytecode interpreter (one switch dispatch per bytecode)
 * running Collatz sequences, and a binary search tree with pseudo-random
 * inserts and lookups. Roughly 200 million instructions; prints checksums.
 */
#include <stdbool.h>
#include <stdint.h>

#include "printf.h"
#include "workload.h"

#define COLLATZ_LIMIT 12000
#define TREE_NODES    20000
#define TREE_LOOKUPS  150000
#define TREE_ROUNDS   2
#define NO_NODE       UINT32_MAX

enum opcode {
    OP_HALT,
    OP_LOADI,
    OP_MOV,
    OP_ADDI,
    OP_ANDI,
    OP_SHRI,
    OP_MUL3P1,
    OP_JEQI,
    OP_JNZ,
    OP_JMP
};

/* One bytecode instruction: destination a, source b, an immediate, and a jump target. */
struct insn {
    uint8_t op;
    uint8_t a;
    uint8_t b;
    uint8_t target;
    int32_t imm;
};

/*
 * Sum of the Collatz step counts of 1..COLLATZ_LIMIT.
 * r0: n counting down; r1: the value; r2: scratch; r3: steps taken.
 */
static const struct insn collatz_program[] = {
    /*  0 */ {OP_LOADI, 0, 0, 0, COLLATZ_LIMIT},
    /*  1 */ {OP_LOADI, 3, 0, 0, 0},
    /*  2 */ {OP_MOV, 1, 0, 0, 0},
    /*  3 */ {OP_JEQI, 1, 0, 11, 1},
    /*  4 */ {OP_ANDI, 2, 1, 0, 1},
    /*  5 */ {OP_JNZ, 2, 0, 8, 0},
    /*  6 */ {OP_SHRI, 1, 1, 0, 1},
    /*  7 */ {OP_JMP, 0, 0, 9, 0},
    /*  8 */ {OP_MUL3P1, 1, 1, 0, 0},
    /*  9 */ {OP_ADDI, 3, 3, 0, 1},
    /* 10 */ {OP_JMP, 0, 0, 3, 0},
    /* 11 */ {OP_ADDI, 0, 0, 0, -1},
    /* 12 */ {OP_JNZ, 0, 0, 2, 0},
    /* 13 */ {OP_HALT, 0, 0, 0, 0},
};

struct tree_node {
    uint32_t key;
    uint32_t left;
    uint32_t right;
};

static struct tree_node nodes[TREE_NODES];

/* Run a bytecode program until OP_HALT; returns r3. */
static uint64_t interpret(const struct insn *program)
{
    uint64_t r[8] = {0};
    uint32_t pc = 0;

    for (;;) {
        const struct insn *in = &program[pc++];
        switch (in->op) {
        case OP_HALT: return r[3];
        case OP_LOADI: r[in->a] = (uint64_t)(int64_t)in->imm; break;
        case OP_MOV: r[in->a] = r[in->b]; break;
        case OP_ADDI: r[in->a] = r[in->b] + (uint64_t)(int64_t)in->imm; break;
        case OP_ANDI: r[in->a] = r[in->b] & (uint64_t)(int64_t)in->imm; break;
        case OP_SHRI: r[in->a] = r[in->b] >> in->imm; break;
        case OP_MUL3P1: r[in->a] = r[in->b] * 3 + 1; break;
        case OP_JEQI:
            if (r[in->a] == (uint64_t)(int64_t)in->imm) {
                pc = in->target;
            }
            break;
        case OP_JNZ:
            if (r[in->a] != 0) {
                pc = in->target;
            }
            break;
        case OP_JMP: pc = in->target; break;
        default: return UINT64_MAX;
        }
    }
}

/* Insert key below root (node 0 must exist); returns the depth it was placed at, 0 if present. */
static uint32_t tree_insert(uint32_t count, uint32_t key)
{
    uint32_t depth = 1;
    uint32_t n = 0;

    for (;;) {
        if (key == nodes[n].key) {
            return 0;
        }
        uint32_t *link = key < nodes[n].key ? &nodes[n].left : &nodes[n].right;
        if (*link == NO_NODE) {
            nodes[count] = (struct tree_node){key, NO_NODE, NO_NODE};
            *link = count;
            return depth;
        }
        n = *link;
        depth++;
    }
}

static bool tree_contains(uint32_t key)
{
    uint32_t n = 0;

    while (n != NO_NODE) {
        if (key == nodes[n].key) {
            return true;
        }
        n = key < nodes[n].key ? nodes[n].left : nodes[n].right;
    }
    return false;
}

static uint64_t tree_rounds(void)
{
    uint64_t total = 0;
    uint64_t state = 0x243F6A8885A308D3ull;

    for (int round = 0; round < TREE_ROUNDS; round++) {
        /* Keys below 2^17 so that about a sixth of random lookups hit. */
        uint32_t count = 1;
        nodes[0] = (struct tree_node){(uint32_t)xorshift64(&state) & 0x1FFFF, NO_NODE, NO_NODE};
        while (count < TREE_NODES) {
            uint32_t depth = tree_insert(count, (uint32_t)xorshift64(&state) & 0x1FFFF);
            count += depth ? 1 : 0;
            total += depth;
        }
        uint32_t hits = 0;
        for (uint32_t i = 0; i < TREE_LOOKUPS; i++) {
            hits += tree_contains((uint32_t)xorshift64(&state) & 0x1FFFF) ? 1 : 0;
        }
        total = total * 1000003 + hits;
    }
    return total;
}

int main(void)
{
    uint64_t steps = interpret(collatz_program);
    printf("branchy: collatz  %llu steps\n", (unsigned long long)steps);
    uint64_t tree = tree_rounds();
    printf("branchy: tree     %016llx\n", (unsigned long long)tree);
    printf("branchy: checksum %016llx\n",
           (unsigned long long)(steps * 0x9E3779B97F4A7C15ull ^ tree));
    return 0;
}
