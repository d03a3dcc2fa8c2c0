/* ELF loader for static AArch64 executables.
 *
 * The whole file is read into host memory first: it is hashed, every range
 * the ELF claims is checked against its real size, and only then is it handed
 * to libelf (elf_memory) for the header, program header and symbol tables.
 *
 * libelf is forgiving in ways a loader must not be: elf_getphdrnum() quietly
 * shrinks a program header table that runs past the end of the file, and a
 * section header table that does so is reported as "no sections". So the
 * table sizes are recomputed from the ELF header here and checked against the
 * file before libelf's view of them is trusted. Problems are reported in file
 * order (ELF header, program headers, segment data, section headers), so a
 * file cut short names the first thing that is missing. (One gap: if e_shnum
 * is 0 and the real count in section header 0 is garbage, elf_memory() itself
 * refuses the file and its message is passed on.)
 *
 * e_entry is reported as found; whether it points into a loaded segment is
 * left to the caller.
 *
 * Nothing is written to guest RAM until every check, including reading the
 * symbol table, has passed. */
#include "loader/elf.h"
#include "sim/host.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Section 0 is read straight from the file bytes (see table_counts). */
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "loader/elf.c reads little-endian ELF structures directly and needs a little-endian host"
#endif

#define FNV1A64_OFFSET_BASIS 0xcbf29ce484222325ull
#define FNV1A64_PRIME        0x100000001b3ull

struct elf_sym {
    uint64_t addr;
    uint64_t size;
    size_t index; /* position in .symtab: the last sort key, so the order is total */
    uint8_t type; /* STT_FUNC, STT_OBJECT or STT_NOTYPE */
    const char *name;
};

struct elf_image {
    uint64_t entry;
    uint64_t hash;
    uint64_t low, high; /* the loaded segments' extent [low, high) */
    size_t nsyms;
    struct elf_sym *syms; /* sorted by (addr, STT_FUNC first, name, index) */
    uint64_t *max_end;    /* max_end[i]: largest end of a sized symbol in syms[0..i] */
    char *names;          /* every kept name, NUL-separated; syms[].name point here */
};

struct loader {
    const char *path;
    const struct mem_target *mem;
    char *err;
    size_t errlen;
    uint8_t *file;
    size_t size;
    Elf *elf;
    Elf64_Ehdr eh;  /* copies: libelf may hand out pointers into the file that are not */
    Elf64_Phdr *ph; /* aligned for these types when e_phoff or e_shoff is odd */
    size_t phnum;
    size_t shnum;
};

__attribute__((format(printf, 2, 3))) static bool fail(struct loader *ld, const char *fmt, ...)
{
    if (!ld->err || ld->errlen == 0)
        return false;
    int n = snprintf(ld->err, ld->errlen, "%s: ", ld->path);
    if (n < 0 || (size_t)n >= ld->errlen)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ld->err + n, ld->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

static bool libelf_fail(struct loader *ld, const char *what)
{
    return fail(ld, "malformed ELF (%s): %s", what, elf_errmsg(-1));
}

/* Fails with a "truncated" message unless [off, off+len) lies inside the file. */
static bool need_bytes(struct loader *ld, const char *what, uint64_t off, uint64_t len)
{
    if (off <= ld->size && len <= ld->size - off)
        return true;
    if (len > UINT64_MAX - off)
        return fail(ld,
                    "truncated: %s needs 0x%" PRIx64 " bytes from offset 0x%" PRIx64
                    " but the file has 0x%zx",
                    what, len, off, ld->size);
    return fail(ld, "truncated: %s needs bytes 0x%" PRIx64 "-0x%" PRIx64 " but the file has 0x%zx",
                what, off, off + len, ld->size);
}

/* Same, for a table of COUNT entries of ENTSIZE bytes. */
static bool need_table(struct loader *ld, const char *what, uint64_t off, uint64_t count,
                       uint64_t entsize)
{
    if (count > UINT64_MAX / entsize)
        return fail(ld, "%s has an impossible number of entries (%" PRIu64 ")", what, count);
    return need_bytes(ld, what, off, count * entsize);
}

static bool read_file(struct loader *ld)
{
    char why[128];
    int fd = host_open_input(ld->path, why, sizeof(why));
    if (fd < 0)
        return fail(ld, "cannot open: %s", why);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return fail(ld, "cannot stat: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return fail(ld, "not a regular file");
    }
    size_t size = (size_t)st.st_size;
    ld->file = malloc(size ? size : 1);
    if (!ld->file) {
        close(fd);
        return fail(ld, "out of memory reading 0x%zx bytes", size);
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, ld->file + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : 0;
            close(fd);
            return e ? fail(ld, "cannot read: %s", strerror(e))
                     : fail(ld, "cannot read: the file shrank while being read");
        }
        got += (size_t)n;
    }
    close(fd);
    ld->size = size;
    return true;
}

static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
    uint64_t h = FNV1A64_OFFSET_BASIS;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= FNV1A64_PRIME;
    }
    return h;
}

/* e_ident is checked by hand because libelf only says "not ELF" (ELF_K_NONE) for all of these. */
static bool check_ident(struct loader *ld)
{
    const uint8_t *id = ld->file;
    if (ld->size < SELFMAG || memcmp(id, ELFMAG, SELFMAG) != 0)
        return fail(ld, "not an ELF file");
    if (ld->size < EI_NIDENT)
        return fail(ld, "truncated ELF header");
    if (id[EI_CLASS] == ELFCLASS32)
        return fail(ld, "not a 64-bit ELF");
    if (id[EI_CLASS] != ELFCLASS64)
        return fail(ld, "not a 64-bit ELF (EI_CLASS is %u)", id[EI_CLASS]);
    if (id[EI_DATA] == ELFDATA2MSB)
        return fail(ld, "not little-endian");
    if (id[EI_DATA] != ELFDATA2LSB)
        return fail(ld, "not little-endian (EI_DATA is %u)", id[EI_DATA]);
    if (id[EI_VERSION] != EV_CURRENT)
        return fail(ld, "unsupported ELF version %u (expected %u)", id[EI_VERSION], EV_CURRENT);
    if (ld->size < sizeof(Elf64_Ehdr))
        return fail(ld, "truncated ELF header");
    return true;
}

static bool open_libelf(struct loader *ld)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fail(ld, "libelf: %s", elf_errmsg(-1));
    ld->elf = elf_memory((char *)ld->file, ld->size);
    if (!ld->elf)
        return libelf_fail(ld, "elf_memory");
    if (elf_kind(ld->elf) != ELF_K_ELF)
        return fail(ld, "not an ELF file");
    const Elf64_Ehdr *eh = elf64_getehdr(ld->elf);
    if (!eh)
        return libelf_fail(ld, "ELF header");
    memcpy(&ld->eh, eh, sizeof ld->eh);
    return true;
}

static const char *machine_name(uint16_t machine)
{
    switch (machine) {
    case EM_386: return "x86";
    case EM_X86_64: return "x86-64";
    case EM_ARM: return "AArch32";
    case EM_RISCV: return "RISC-V";
    case EM_PPC64: return "PowerPC64";
    case EM_MIPS: return "MIPS";
    case EM_S390: return "s390";
    }
    return NULL;
}

static bool check_machine_and_type(struct loader *ld)
{
    uint16_t m = ld->eh.e_machine;
    if (m != EM_AARCH64) {
        const char *name = machine_name(m);
        if (name)
            return fail(ld, "ELF machine is %s (%u), expected AArch64 (%u)", name, m, EM_AARCH64);
        return fail(ld, "ELF machine is %u, expected AArch64 (%u)", m, EM_AARCH64);
    }
    if (ld->eh.e_type == ET_DYN)
        return fail(ld, "position-independent executables are not supported: link with -no-pie");
    if (ld->eh.e_type != ET_EXEC)
        return fail(ld, "not an executable (ELF type %u)", ld->eh.e_type);
    return true;
}

/* Works out how many program and section headers the file claims. When a count does not fit
 * in the ELF header (e_phnum == PN_XNUM, or e_shnum == 0 with a table present) the real value
 * lives in section header 0 (sh_info, sh_size), which is read directly: libelf would report a
 * truncated table as an empty one. */
static bool table_counts(struct loader *ld)
{
    const Elf64_Ehdr *eh = &ld->eh;
    if (eh->e_shoff == 0 && eh->e_shnum != 0)
        return fail(ld, "e_shnum is %u but there is no section header table (e_shoff is 0)",
                    eh->e_shnum);
    if (eh->e_shoff != 0 && eh->e_shentsize != sizeof(Elf64_Shdr))
        return fail(ld, "section header entry size is %u, expected %zu", eh->e_shentsize,
                    sizeof(Elf64_Shdr));
    Elf64_Shdr sh0 = {0};
    bool need_sh0 = eh->e_phnum == PN_XNUM || (eh->e_shoff != 0 && eh->e_shnum == 0);
    if (need_sh0) {
        if (eh->e_shoff == 0)
            return fail(ld,
                        "e_phnum is PN_XNUM but there is no section header 0 to hold the count");
        if (!need_bytes(ld, "section header 0", eh->e_shoff, sizeof(Elf64_Shdr)))
            return false;
        memcpy(&sh0, ld->file + eh->e_shoff, sizeof sh0);
    }
    ld->shnum = eh->e_shoff == 0 ? 0 : eh->e_shnum != 0 ? eh->e_shnum : sh0.sh_size;
    ld->phnum = eh->e_phoff == 0 ? 0 : eh->e_phnum != PN_XNUM ? eh->e_phnum : sh0.sh_info;
    return true;
}

static bool read_program_headers(struct loader *ld)
{
    if (ld->phnum == 0)
        return true;
    if (ld->eh.e_phentsize != sizeof(Elf64_Phdr))
        return fail(ld, "program header entry size is %u, expected %zu", ld->eh.e_phentsize,
                    sizeof(Elf64_Phdr));
    if (!need_table(ld, "program header table", ld->eh.e_phoff, ld->phnum, sizeof(Elf64_Phdr)))
        return false;
    size_t n = 0;
    if (elf_getphdrnum(ld->elf, &n) != 0)
        return libelf_fail(ld, "program header count");
    if (n != ld->phnum)
        return fail(ld, "libelf sees %zu program headers, the ELF header says %zu", n, ld->phnum);
    const Elf64_Phdr *ph = elf64_getphdr(ld->elf);
    if (!ph)
        return libelf_fail(ld, "program headers");
    ld->ph = malloc(ld->phnum * sizeof *ld->ph);
    if (!ld->ph)
        return fail(ld, "out of memory for %zu program headers", ld->phnum);
    memcpy(ld->ph, ph, ld->phnum * sizeof *ld->ph);
    return true;
}

/* A PT_LOAD with p_memsz 0 occupies no memory: it is neither loaded nor checked further. */
static bool is_loaded(const Elf64_Phdr *p)
{
    return p->p_type == PT_LOAD && p->p_memsz != 0;
}

static bool check_segment_file_ranges(struct loader *ld)
{
    for (size_t i = 0; i < ld->phnum; i++) {
        const Elf64_Phdr *p = &ld->ph[i];
        if (p->p_type != PT_LOAD)
            continue;
        if (p->p_filesz > p->p_memsz)
            return fail(ld, "segment %zu: p_filesz 0x%" PRIx64 " is larger than p_memsz 0x%" PRIx64,
                        i, p->p_filesz, p->p_memsz);
        char what[48];
        snprintf(what, sizeof what, "segment %zu", i);
        if (p->p_filesz != 0 && !need_bytes(ld, what, p->p_offset, p->p_filesz))
            return false;
    }
    return true;
}

static bool check_section_table(struct loader *ld)
{
    if (ld->shnum == 0)
        return true;
    if (!need_table(ld, "section header table", ld->eh.e_shoff, ld->shnum, sizeof(Elf64_Shdr)))
        return false;
    size_t n = 0;
    if (elf_getshdrnum(ld->elf, &n) != 0)
        return libelf_fail(ld, "section header count");
    if (n != ld->shnum)
        return fail(ld, "libelf sees %zu section headers, the ELF header says %zu", n, ld->shnum);
    return true;
}

/* Inside [base, base+size), written so that no sum can wrap. */
static bool in_ram(const struct mem_target *mem, uint64_t addr, uint64_t len)
{
    return addr >= mem->base && addr - mem->base <= mem->size &&
           len <= mem->size - (addr - mem->base);
}

static bool check_segments_in_ram(struct loader *ld, size_t *nloaded)
{
    const struct mem_target *mem = ld->mem;
    *nloaded = 0;
    for (size_t i = 0; i < ld->phnum; i++) {
        const Elf64_Phdr *p = &ld->ph[i];
        if (!is_loaded(p))
            continue;
        if (p->p_memsz > UINT64_MAX - p->p_paddr)
            return fail(ld,
                        "segment %zu at 0x%" PRIx64 " with size 0x%" PRIx64
                        " wraps around the end of the address space",
                        i, p->p_paddr, p->p_memsz);
        if (!in_ram(mem, p->p_paddr, p->p_memsz))
            return fail(ld,
                        "segment %zu [0x%" PRIx64 ", 0x%" PRIx64 ") is outside RAM [0x%" PRIx64
                        ", 0x%" PRIx64 ")",
                        i, p->p_paddr, p->p_paddr + p->p_memsz, mem->base, mem->base + mem->size);
        (*nloaded)++;
    }
    if (*nloaded == 0)
        return fail(ld, "no loadable segments");
    return true;
}

struct seg_range {
    uint64_t start;
    uint64_t end;
    size_t index;
};

static int seg_range_cmp(const void *a, const void *b)
{
    const struct seg_range *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Sorted by start, any overlap shows up between neighbours: if A overlaps some later B, it also
 * overlaps the segment right after A, which starts no later than B. */
static bool check_no_overlap(struct loader *ld, size_t nloaded)
{
    struct seg_range *r = calloc(nloaded, sizeof *r);
    if (!r)
        return fail(ld, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < ld->phnum; i++) {
        const Elf64_Phdr *p = &ld->ph[i];
        if (is_loaded(p))
            r[n++] = (struct seg_range){p->p_paddr, p->p_paddr + p->p_memsz, i};
    }
    qsort(r, n, sizeof *r, seg_range_cmp);
    bool ok = true;
    for (size_t i = 1; i < n && ok; i++) {
        if (r[i - 1].end > r[i].start)
            ok = fail(ld,
                      "segments %zu [0x%" PRIx64 ", 0x%" PRIx64 ") and %zu [0x%" PRIx64
                      ", 0x%" PRIx64 ") overlap",
                      r[i - 1].index, r[i - 1].start, r[i - 1].end, r[i].index, r[i].start,
                      r[i].end);
    }
    free(r);
    return ok;
}

/* ---- symbols ---------------------------------------------------------- */

static bool keep_type(const Elf64_Sym *s)
{
    unsigned t = ELF64_ST_TYPE(s->st_info);
    return (t == STT_FUNC || t == STT_OBJECT || t == STT_NOTYPE) && s->st_shndx != SHN_UNDEF;
}

/* AAELF64 mapping symbols ($x: A64 code starts, $d: data starts, optionally "$x.<any>") mark
 * code/data boundaries for disassemblers; they are not names a user would want to see. */
static bool keep_name(const char *name)
{
    return name[0] != '\0' && strncmp(name, "$x", 2) != 0 && strncmp(name, "$d", 2) != 0;
}

static int type_rank(uint8_t type)
{
    return type == STT_FUNC ? 0 : 1;
}

static int sym_cmp(const void *a, const void *b)
{
    const struct elf_sym *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    if (type_rank(x->type) != type_rank(y->type))
        return type_rank(x->type) - type_rank(y->type);
    int c = strcmp(x->name, y->name);
    if (c != 0)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Section header of SCN, copied out (see struct loader); false and a message on error. */
static bool get_shdr(struct loader *ld, Elf_Scn *scn, const char *what, Elf64_Shdr *out)
{
    const Elf64_Shdr *sh = scn ? elf64_getshdr(scn) : NULL;
    if (!sh)
        return libelf_fail(ld, what);
    memcpy(out, sh, sizeof *out);
    return true;
}

struct symtab_view {
    Elf_Scn *scn;
    size_t index;  /* section index of .symtab */
    size_t strndx; /* section index of its string table */
    const uint8_t *raw;
    size_t count;
};

static bool find_symtab(struct loader *ld, struct symtab_view *v)
{
    Elf_Scn *scn = NULL;
    elf_errno(); /* clear, so a NULL from elf_nextscn below can be told apart from the end */
    while ((scn = elf_nextscn(ld->elf, scn)) != NULL) {
        Elf64_Shdr sh;
        if (!get_shdr(ld, scn, "section header", &sh))
            return false;
        if (sh.sh_type == SHT_SYMTAB) {
            v->scn = scn;
            v->index = elf_ndxscn(scn);
            return true;
        }
    }
    if (elf_errno() != 0)
        return libelf_fail(ld, "section list");
    return true;
}

static bool check_strtab(struct loader *ld, const struct symtab_view *v, const Elf64_Shdr *sh)
{
    if (sh->sh_link == 0 || sh->sh_link >= ld->shnum)
        return fail(ld, "symbol table (section %zu) links to section %u, which does not exist",
                    v->index, sh->sh_link);
    Elf64_Shdr str;
    if (!get_shdr(ld, elf_getscn(ld->elf, sh->sh_link), "string table header", &str))
        return false;
    if (str.sh_type != SHT_STRTAB)
        return fail(ld,
                    "symbol table (section %zu) links to section %u, which is not a string table",
                    v->index, sh->sh_link);
    char what[64];
    snprintf(what, sizeof what, "string table (section %u)", sh->sh_link);
    return need_bytes(ld, what, str.sh_offset, str.sh_size);
}

static bool open_symtab(struct loader *ld, struct symtab_view *v)
{
    Elf64_Shdr shdr;
    if (!get_shdr(ld, v->scn, "symbol table header", &shdr))
        return false;
    const Elf64_Shdr *sh = &shdr;
    if (sh->sh_entsize != sizeof(Elf64_Sym))
        return fail(ld, "symbol table (section %zu) entry size is %" PRIu64 ", expected %zu",
                    v->index, sh->sh_entsize, sizeof(Elf64_Sym));
    if (sh->sh_size % sizeof(Elf64_Sym) != 0)
        return fail(ld, "symbol table (section %zu) size 0x%" PRIx64 " is not a multiple of %zu",
                    v->index, sh->sh_size, sizeof(Elf64_Sym));
    char what[64];
    snprintf(what, sizeof what, "symbol table (section %zu)", v->index);
    if (!need_bytes(ld, what, sh->sh_offset, sh->sh_size) || !check_strtab(ld, v, sh))
        return false;
    v->strndx = sh->sh_link;
    Elf_Data *d = elf_getdata(v->scn, NULL);
    if (!d)
        return libelf_fail(ld, "symbol table data");
    if (d->d_size != sh->sh_size || (d->d_size != 0 && !d->d_buf))
        return fail(ld,
                    "symbol table (section %zu): libelf returned 0x%zx bytes, expected 0x%" PRIx64,
                    v->index, d->d_size, sh->sh_size);
    v->raw = d->d_buf;
    v->count = d->d_size / sizeof(Elf64_Sym);
    return true;
}

static Elf64_Sym sym_at(const struct symtab_view *v, size_t i)
{
    Elf64_Sym s;
    memcpy(&s, v->raw + i * sizeof s, sizeof s);
    return s;
}

/* The name of a symbol of a kept type, or NULL (and a message) if it is not in the string table. */
static const char *sym_name(struct loader *ld, const struct symtab_view *v, size_t i,
                            const Elf64_Sym *s)
{
    const char *name = elf_strptr(ld->elf, v->strndx, s->st_name);
    if (!name)
        fail(ld, "symbol %zu: name offset 0x%x is not a string inside section %zu", i, s->st_name,
             v->strndx);
    return name;
}

/* First pass: how many symbols are kept and how many bytes their names need. */
static bool count_symbols(struct loader *ld, const struct symtab_view *v, size_t *n,
                          size_t *name_bytes)
{
    *n = 0;
    *name_bytes = 0;
    for (size_t i = 0; i < v->count; i++) {
        Elf64_Sym s = sym_at(v, i);
        if (!keep_type(&s))
            continue;
        const char *name = sym_name(ld, v, i, &s);
        if (!name)
            return false;
        if (!keep_name(name))
            continue;
        (*n)++;
        *name_bytes += strlen(name) + 1;
    }
    return true;
}

static void fill_symbols(struct loader *ld, const struct symtab_view *v, struct elf_image *img)
{
    char *dst = img->names;
    size_t n = 0;
    for (size_t i = 0; i < v->count; i++) {
        Elf64_Sym s = sym_at(v, i);
        if (!keep_type(&s))
            continue;
        const char *name = elf_strptr(ld->elf, v->strndx, s.st_name);
        if (!keep_name(name))
            continue;
        size_t len = strlen(name) + 1;
        memcpy(dst, name, len);
        img->syms[n++] = (struct elf_sym){s.st_value, s.st_size, i, ELF64_ST_TYPE(s.st_info), dst};
        dst += len;
    }
    assert(n == img->nsyms);
}

/* The lookup index: running maximum of the ends of sized symbols, so that a backward search can
 * stop as soon as nothing earlier can reach the address. */
static void index_symbols(struct elf_image *img)
{
    uint64_t max_end = 0;
    for (size_t i = 0; i < img->nsyms; i++) {
        const struct elf_sym *s = &img->syms[i];
        uint64_t end = s->size > UINT64_MAX - s->addr ? UINT64_MAX : s->addr + s->size;
        if (s->size != 0 && end > max_end)
            max_end = end;
        img->max_end[i] = max_end;
    }
}

/* A .symtab that cannot be read (cut short, bad string table link, name outside the string
 * table) rejects the whole file rather than loading it without symbols: in a linked executable
 * the symbol table sits after the segments, so a damaged one usually means a damaged file, and
 * running it anyway would hide that. A file without any .symtab loads with no symbols. */
static bool read_symbols(struct loader *ld, struct elf_image *img)
{
    struct symtab_view v = {0};
    if (ld->shnum == 0)
        return true;
    if (!find_symtab(ld, &v))
        return false;
    if (!v.scn)
        return true;
    size_t n, name_bytes;
    if (!open_symtab(ld, &v) || !count_symbols(ld, &v, &n, &name_bytes))
        return false;
    img->syms = calloc(n ? n : 1, sizeof *img->syms);
    img->max_end = calloc(n ? n : 1, sizeof *img->max_end);
    img->names = malloc(name_bytes ? name_bytes : 1);
    if (!img->syms || !img->max_end || !img->names)
        return fail(ld, "out of memory for %zu symbols", n);
    img->nsyms = n;
    fill_symbols(ld, &v, img);
    qsort(img->syms, n, sizeof *img->syms, sym_cmp);
    index_symbols(img);
    return true;
}

/* ---- loading ---------------------------------------------------------- */

static void copy_segments(const struct loader *ld, struct elf_image *img)
{
    const struct mem_target *mem = ld->mem;
    img->low = UINT64_MAX;
    img->high = 0;
    for (size_t i = 0; i < ld->phnum; i++) {
        const Elf64_Phdr *p = &ld->ph[i];
        if (!is_loaded(p))
            continue;
        if (p->p_paddr < img->low)
            img->low = p->p_paddr;
        if (p->p_paddr + p->p_memsz > img->high)
            img->high = p->p_paddr + p->p_memsz;
        uint8_t *dst = mem->host + (p->p_paddr - mem->base);
        if (p->p_filesz != 0)
            memcpy(dst, ld->file + p->p_offset, (size_t)p->p_filesz);
        /* Segments never overlap (check_all), so zeroed memory stays zero. */
        if (!mem->zeroed)
            memset(dst + p->p_filesz, 0, (size_t)(p->p_memsz - p->p_filesz));
    }
}

static bool check_all(struct loader *ld, struct elf_image *img)
{
    size_t nloaded = 0;
    return read_file(ld) && check_ident(ld) && open_libelf(ld) && check_machine_and_type(ld) &&
           table_counts(ld) && read_program_headers(ld) && check_segment_file_ranges(ld) &&
           check_section_table(ld) && check_segments_in_ram(ld, &nloaded) &&
           check_no_overlap(ld, nloaded) && read_symbols(ld, img);
}

struct elf_image *elf_load(const char *path, const struct mem_target *mem, char *err, size_t errlen)
{
    assert(path && mem && mem->host);
    assert(mem->size <= UINT64_MAX - mem->base);
    struct loader ld = {.path = path, .mem = mem, .err = err, .errlen = errlen};
    struct elf_image *img = calloc(1, sizeof *img);
    bool ok = img ? check_all(&ld, img) : fail(&ld, "out of memory");
    if (ok) {
        img->entry = ld.eh.e_entry;
        img->hash = fnv1a64(ld.file, ld.size);
        copy_segments(&ld, img);
        if (img->low > img->high)
            img->low = img->high = 0; /* nothing loaded */
    }
    if (ld.elf)
        elf_end(ld.elf);
    free(ld.ph);
    free(ld.file);
    if (ok)
        return img;
    elf_image_free(img);
    return NULL;
}

void elf_image_free(struct elf_image *img)
{
    if (!img)
        return;
    free(img->syms);
    free(img->max_end);
    free(img->names);
    free(img);
}

uint64_t elf_entry(const struct elf_image *img)
{
    return img->entry;
}

void elf_extent(const struct elf_image *img, uint64_t *low, uint64_t *high)
{
    *low = img->low;
    *high = img->high;
}

uint64_t elf_file_hash(const struct elf_image *img)
{
    return img->hash;
}

size_t elf_symbol_count(const struct elf_image *img)
{
    return img->nsyms;
}

/* Number of symbols whose address is <= ADDR (they form a prefix of the sorted array). */
static size_t count_at_or_below(const struct elf_image *img, uint64_t addr)
{
    size_t lo = 0, hi = img->nsyms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (img->syms[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The sized symbol containing ADDR that starts last (the innermost); among equal starts the
 * first in sorted order. Walks back from ADDR only while some earlier symbol could still reach it.
 */
static const struct elf_sym *sized_containing(const struct elf_image *img, uint64_t addr)
{
    const struct elf_sym *best = NULL;
    for (size_t i = count_at_or_below(img, addr); i-- > 0;) {
        const struct elf_sym *s = &img->syms[i];
        if (img->max_end[i] <= addr || (best && s->addr != best->addr))
            break;
        if (s->size != 0 && addr - s->addr < s->size)
            best = s;
    }
    return best;
}

/* An unsized symbol (a label) reaches up to the next symbol: so it names ADDR only if it sits at
 * the highest symbol address <= ADDR. Among several there, the first in sorted order. */
static const struct elf_sym *preceding_unsized(const struct elf_image *img, uint64_t addr)
{
    size_t n = count_at_or_below(img, addr);
    if (n == 0)
        return NULL;
    size_t first = n - 1;
    while (first > 0 && img->syms[first - 1].addr == img->syms[n - 1].addr)
        first--;
    for (size_t i = first; i < n; i++)
        if (img->syms[i].size == 0)
            return &img->syms[i];
    return NULL;
}

/* A sized symbol that contains ADDR wins over a nearer unsized label: the sized one is what the
 * toolchain says ADDR belongs to (a local label inside a function still reports the function).
 * Otherwise an unsized symbol is taken to extend up to the next symbol, as disassemblers do. */
bool elf_symbol_at(const struct elf_image *img, uint64_t addr, const char **name, uint64_t *offset)
{
    const struct elf_sym *s = sized_containing(img, addr);
    if (!s)
        s = preceding_unsized(img, addr);
    if (!s)
        return false;
    if (name)
        *name = s->name;
    if (offset)
        *offset = addr - s->addr;
    return true;
}

bool elf_symbol_addr(const struct elf_image *img, const char *name, uint64_t *addr)
{
    for (size_t i = 0; i < img->nsyms; i++) {
        if (strcmp(img->syms[i].name, name) == 0) {
            if (addr)
                *addr = img->syms[i].addr;
            return true;
        }
    }
    return false;
}
