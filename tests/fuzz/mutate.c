/* A deterministic mutation fuzzer, for hosts where clang's libFuzzer is
 * missing: the same command line as a libFuzzer binary for what `make fuzz`
 * uses (-max_total_time=N, corpus directories). It loads the corpus, then
 * until the time is up mutates a seed chosen by a fixed xorshift sequence
 * (bit flips, byte sets, interesting values, cuts, insertions, splices of
 * two seeds) and runs the target on it. No coverage feedback: weaker than
 * libFuzzer, but it runs everywhere ASan does. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SEEDS 4096
#define MAX_LEN   (1u << 20)

struct seed {
    uint8_t *data;
    size_t len;
};

static struct seed seeds[MAX_SEEDS];
static size_t nseeds;
static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void load_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    /* Sorted names would need a sort; readdir order only changes which
     * seed gets which index, and every seed is used. */
    while ((e = readdir(d)) && nseeds < MAX_SEEDS) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        uint8_t *buf = malloc(MAX_LEN);
        size_t n = buf ? fread(buf, 1, MAX_LEN, f) : 0;
        fclose(f);
        if (!buf || e->d_name[0] == '.') {
            free(buf);
            continue;
        }
        seeds[nseeds++] = (struct seed){buf, n};
    }
    closedir(d);
}

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
    static const uint64_t interesting[] = {
        0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0xffffffff, 0x100000, 0x100001, 18, 17};
    unsigned n = 1 + next() % 4;
    for (unsigned i = 0; i < n; i++) {
        uint64_t r = next();
        size_t at = len ? r % len : 0;
        switch ((r >> 32) % 7) {
        case 0:
            if (len)
                buf[at] ^= (uint8_t)(1u << ((r >> 40) % 8));
            break;
        case 1:
            if (len)
                buf[at] = (uint8_t)(r >> 48);
            break;
        case 2: {
            uint64_t v = interesting[(r >> 40) % (sizeof(interesting) / sizeof(interesting[0]))];
            for (unsigned b = 0; b < 4 && at + b < len; b++)
                buf[at + b] = (uint8_t)(v >> (8 * b));
            break;
        }
        case 3: len = at; break;
        case 4:
            if (len < cap) {
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = (uint8_t)(r >> 48);
                len++;
            }
            break;
        case 5:
            if (len)
                memmove(buf + at, buf + at + 1, len - at - 1), len--;
            break;
        case 6: {
            const struct seed *o = &seeds[(r >> 40) % nseeds];
            size_t take = o->len - (o->len ? (r >> 20) % o->len : 0);
            if (at + take > cap)
                take = cap - at;
            memcpy(buf + at, o->data + (o->len - take), take);
            len = at + take;
            break;
        }
        }
    }
    return len;
}

int main(int argc, char **argv)
{
    double seconds = 60;
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "-max_total_time=", 16))
            seconds = atof(argv[i] + 16);
        else if (argv[i][0] != '-')
            load_dir(argv[i]);
    }
    if (!nseeds)
        seeds[nseeds++] = (struct seed){calloc(1, 1), 0};
    uint8_t *buf = malloc(MAX_LEN);
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t runs = 0;
    for (size_t i = 0; i < nseeds; i++, runs++)
        LLVMFuzzerTestOneInput(seeds[i].data, seeds[i].len);
    for (;; runs++) {
        if ((runs & 255) == 0) {
            clock_gettime(CLOCK_MONOTONIC, &t);
            if ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) * 1e-9 >= seconds)
                break;
        }
        const struct seed *s = &seeds[next() % nseeds];
        memcpy(buf, s->data, s->len);
        size_t len = mutate(buf, s->len, MAX_LEN);
        LLVMFuzzerTestOneInput(buf, len);
    }
    printf("mutate: %llu runs in %.0f s over %zu seeds, no crash\n", (unsigned long long)runs,
           seconds, nseeds);
    free(buf);
    return 0;
}
