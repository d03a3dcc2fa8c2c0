/* Unit tests for loader/elf: every fixture is a small ELF64 file built here, byte by byte,
 * from the <elf.h> structures, and written into a fresh directory under /tmp. */
#include "loader/elf.h"

#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x10000ull
#define RAM_FILL 0xAA

/* File layout of the valid fixture. */
#define OFF_PH       0x40
#define NPH          3
#define OFF_TEXT     0x100
#define TEXT_SIZE    0x20
#define TEXT_PADDR   0x40001000ull
#define OFF_DATA     0x120
#define DATA_FILESZ  0x10
#define DATA_MEMSZ   0x100
#define DATA_PADDR   0x40002000ull
#define OFF_SYMTAB   0x130
#define ENTRY        0x40001000ull
#define SEC_TEXT     1
#define SEC_DATA     2
#define SEC_SYMTAB   3
#define SEC_STRTAB   4
#define SEC_SHSTRTAB 5
#define NSEC         6

struct fixture {
    uint8_t b[4096];
    size_t len;
};

static char dir[64];
static char path[128];
static uint8_t ram[RAM_SIZE];
static const struct mem_target mem = {RAM_BASE, RAM_SIZE, ram, false};

/* ---- building the fixture ------------------------------------------------ */

static void get_ehdr(const struct fixture *fx, Elf64_Ehdr *eh)
{
    memcpy(eh, fx->b, sizeof *eh);
}

static void put_ehdr(struct fixture *fx, const Elf64_Ehdr *eh)
{
    memcpy(fx->b, eh, sizeof *eh);
}

static void get_phdr(const struct fixture *fx, int i, Elf64_Phdr *ph)
{
    memcpy(ph, fx->b + OFF_PH + i * sizeof *ph, sizeof *ph);
}

static void put_phdr(struct fixture *fx, int i, const Elf64_Phdr *ph)
{
    memcpy(fx->b + OFF_PH + i * sizeof *ph, ph, sizeof *ph);
}

static uint64_t shoff(const struct fixture *fx)
{
    Elf64_Ehdr eh;
    get_ehdr(fx, &eh);
    return eh.e_shoff;
}

static void get_shdr(const struct fixture *fx, int i, Elf64_Shdr *sh)
{
    memcpy(sh, fx->b + shoff(fx) + i * sizeof *sh, sizeof *sh);
}

static void put_shdr(struct fixture *fx, int i, const Elf64_Shdr *sh)
{
    memcpy(fx->b + shoff(fx) + i * sizeof *sh, sh, sizeof *sh);
}

/* Appends NAME to a string table and returns its offset. */
static uint32_t add_str(char *tab, size_t *len, const char *name)
{
    uint32_t off = (uint32_t)*len;
    memcpy(tab + *len, name, strlen(name) + 1);
    *len += strlen(name) + 1;
    return off;
}

struct sym_spec {
    const char *name;
    unsigned type, bind;
    uint16_t shndx;
    uint64_t value, size;
};

/* Locals first, as the ELF spec requires (sh_info of .symtab = first non-local index). */
static const struct sym_spec syms[] = {
    {"", STT_NOTYPE, STB_LOCAL, SHN_UNDEF, 0, 0},
    {"$x", STT_NOTYPE, STB_LOCAL, SEC_TEXT, 0x40001000, 0},
    {"", STT_SECTION, STB_LOCAL, SEC_TEXT, 0x40001000, 0},
    {"start.S", STT_FILE, STB_LOCAL, SHN_ABS, 0, 0},
    {"$d.1", STT_NOTYPE, STB_LOCAL, SEC_DATA, 0x40002000, 0},
    {"code_label", STT_NOTYPE, STB_LOCAL, SEC_TEXT, 0x40001018, 0},
    {"_start", STT_FUNC, STB_GLOBAL, SEC_TEXT, 0x40001000, 0x10},
    {"aaa_notype", STT_NOTYPE, STB_GLOBAL, SEC_TEXT, 0x40001000, 0x10},
    {"zz_alias", STT_FUNC, STB_GLOBAL, SEC_TEXT, 0x40001000, 0x10},
    {"helper", STT_FUNC, STB_GLOBAL, SEC_TEXT, 0x40001010, 0x10},
    {"data_obj", STT_OBJECT, STB_GLOBAL, SEC_DATA, 0x40002000, 8},
    {"bss_label", STT_NOTYPE, STB_GLOBAL, SEC_DATA, 0x40002100, 0},
    {"ext_undef", STT_NOTYPE, STB_GLOBAL, SHN_UNDEF, 0, 0},
};
#define NSYMS        (sizeof syms / sizeof syms[0])
#define FIRST_GLOBAL 6
#define KEPT_SYMS    7 /* code_label _start aaa_notype zz_alias helper data_obj bss_label */

static uint8_t text_byte(size_t i)
{
    return (uint8_t)(0x10 + i);
}

static uint8_t data_byte(size_t i)
{
    return (uint8_t)(0x80 + i);
}

static void build_segments(struct fixture *fx)
{
    Elf64_Phdr text = {PT_LOAD,    PF_R | PF_X, OFF_TEXT,  TEXT_PADDR,
                       TEXT_PADDR, TEXT_SIZE,   TEXT_SIZE, 0x10};
    Elf64_Phdr data = {PT_LOAD,    PF_R | PF_W, OFF_DATA,   DATA_PADDR,
                       DATA_PADDR, DATA_FILESZ, DATA_MEMSZ, 0x10};
    Elf64_Phdr stack = {.p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W};
    put_phdr(fx, 0, &text);
    put_phdr(fx, 1, &data);
    put_phdr(fx, 2, &stack);
    for (size_t i = 0; i < TEXT_SIZE; i++)
        fx->b[OFF_TEXT + i] = text_byte(i);
    for (size_t i = 0; i < DATA_FILESZ; i++)
        fx->b[OFF_DATA + i] = data_byte(i);
}

/* Writes .symtab and .strtab; returns the offset just past them. */
static size_t build_symtab(struct fixture *fx, size_t *strtab_off, size_t *strtab_len)
{
    char strtab[512];
    size_t slen = 0;
    add_str(strtab, &slen, "");
    for (size_t i = 0; i < NSYMS; i++) {
        Elf64_Sym s = {0};
        s.st_name = syms[i].name[0] ? add_str(strtab, &slen, syms[i].name) : 0;
        s.st_info = ELF64_ST_INFO(syms[i].bind, syms[i].type);
        s.st_shndx = syms[i].shndx;
        s.st_value = syms[i].value;
        s.st_size = syms[i].size;
        memcpy(fx->b + OFF_SYMTAB + i * sizeof s, &s, sizeof s);
    }
    *strtab_off = OFF_SYMTAB + NSYMS * sizeof(Elf64_Sym);
    *strtab_len = slen;
    memcpy(fx->b + *strtab_off, strtab, slen);
    return *strtab_off + slen;
}

static void build_valid(struct fixture *fx)
{
    memset(fx, 0, sizeof *fx);
    build_segments(fx);
    size_t str_off, str_len;
    size_t off = build_symtab(fx, &str_off, &str_len);

    char shstr[128];
    size_t shlen = 0;
    uint32_t names[NSEC] = {add_str(shstr, &shlen, "")};
    const char *secnames[NSEC] = {"", ".text", ".data", ".symtab", ".strtab", ".shstrtab"};
    for (int i = 1; i < NSEC; i++)
        names[i] = add_str(shstr, &shlen, secnames[i]);
    size_t shstr_off = off;
    memcpy(fx->b + shstr_off, shstr, shlen);
    size_t sh_off = (shstr_off + shlen + 7) & ~(size_t)7;

    Elf64_Ehdr eh = {0};
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_AARCH64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = ENTRY;
    eh.e_phoff = OFF_PH;
    eh.e_shoff = sh_off;
    eh.e_ehsize = sizeof(Elf64_Ehdr);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = NPH;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = NSEC;
    eh.e_shstrndx = SEC_SHSTRTAB;
    put_ehdr(fx, &eh);

    Elf64_Shdr sh[NSEC] = {{0}};
    sh[SEC_TEXT] = (Elf64_Shdr){
        names[1], SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, TEXT_PADDR, OFF_TEXT, TEXT_SIZE, 0, 0, 4,
        0};
    sh[SEC_DATA] = (Elf64_Shdr){
        names[2], SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, DATA_PADDR, OFF_DATA, DATA_FILESZ, 0, 0, 8,
        0};
    sh[SEC_SYMTAB] = (Elf64_Shdr){names[3],   SHT_SYMTAB,
                                  0,          0,
                                  OFF_SYMTAB, NSYMS * sizeof(Elf64_Sym),
                                  SEC_STRTAB, FIRST_GLOBAL,
                                  8,          sizeof(Elf64_Sym)};
    sh[SEC_STRTAB] = (Elf64_Shdr){names[4], SHT_STRTAB, 0, 0, str_off, str_len, 0, 0, 1, 0};
    sh[SEC_SHSTRTAB] = (Elf64_Shdr){names[5], SHT_STRTAB, 0, 0, shstr_off, shlen, 0, 0, 1, 0};
    fx->len = sh_off + sizeof sh;
    ck_assert_uint_le(fx->len, sizeof fx->b);
    for (int i = 0; i < NSEC; i++)
        put_shdr(fx, i, &sh[i]);
}

/* ---- running the loader ------------------------------------------------- */

static void write_bytes(const void *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static struct elf_image *load_bytes(const void *bytes, size_t len, char *err, size_t errlen)
{
    write_bytes(bytes, len);
    memset(ram, RAM_FILL, sizeof ram);
    err[0] = '\0';
    return elf_load(path, &mem, err, errlen);
}

static struct elf_image *load_fixture(const struct fixture *fx)
{
    char err[256];
    struct elf_image *img = load_bytes(fx->b, fx->len, err, sizeof err);
    ck_assert_msg(img != NULL, "unexpected rejection: %s", err);
    return img;
}

static bool ram_untouched(void)
{
    for (size_t i = 0; i < sizeof ram; i++)
        if (ram[i] != RAM_FILL)
            return false;
    return true;
}

/* Loading must fail with exactly "<path>: <problem>" and leave RAM as it was. */
static void expect_rejected_bytes(const void *bytes, size_t len, const char *problem)
{
    char err[256], want[512];
    struct elf_image *img = load_bytes(bytes, len, err, sizeof err);
    ck_assert_ptr_null(img);
    snprintf(want, sizeof want, "%s: %s", path, problem);
    ck_assert_str_eq(err, want);
    ck_assert_msg(ram_untouched(), "RAM was written by a rejected load");
}

static void expect_rejected(const struct fixture *fx, const char *problem)
{
    expect_rejected_bytes(fx->b, fx->len, problem);
}

static void set_phdr_field_paddr(struct fixture *fx, int i, uint64_t paddr, uint64_t memsz)
{
    Elf64_Phdr ph;
    get_phdr(fx, i, &ph);
    ph.p_paddr = paddr;
    ph.p_vaddr = paddr;
    ph.p_memsz = memsz;
    put_phdr(fx, i, &ph);
}

static uint64_t fnv1a64_reference(const uint8_t *p, size_t n)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a 64-bit offset basis */
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull; /* FNV 64-bit prime */
    }
    return h;
}

/* ---- loading ------------------------------------------------------------ */

START_TEST(test_valid_file_loads_with_its_entry_point)
{
    struct fixture fx;
    build_valid(&fx);
    struct elf_image *img = load_fixture(&fx);
    ck_assert_uint_eq(elf_entry(img), ENTRY);
    elf_image_free(img);
}
END_TEST

START_TEST(test_segment_bytes_land_at_p_paddr)
{
    struct fixture fx;
    build_valid(&fx);
    struct elf_image *img = load_fixture(&fx);
    for (size_t i = 0; i < TEXT_SIZE; i++)
        ck_assert_uint_eq(ram[TEXT_PADDR - RAM_BASE + i], text_byte(i));
    for (size_t i = 0; i < DATA_FILESZ; i++)
        ck_assert_uint_eq(ram[DATA_PADDR - RAM_BASE + i], data_byte(i));
    elf_image_free(img);
}
END_TEST

START_TEST(test_memsz_beyond_filesz_is_zeroed)
{
    struct fixture fx;
    build_valid(&fx);
    struct elf_image *img = load_fixture(&fx);
    for (size_t i = DATA_FILESZ; i < DATA_MEMSZ; i++)
        ck_assert_uint_eq(ram[DATA_PADDR - RAM_BASE + i], 0);
    elf_image_free(img);
}
END_TEST

/* RAM known to be zero (a fresh mapping) is not written for bss: the bytes
 * past p_filesz keep what was there, so a huge bss costs no host memory. */
START_TEST(test_zeroed_ram_gets_no_bss_fill)
{
    struct fixture fx;
    build_valid(&fx);
    write_bytes(fx.b, fx.len);
    memset(ram, RAM_FILL, sizeof ram);
    const struct mem_target zeroed = {RAM_BASE, RAM_SIZE, ram, true};
    char err[256];
    struct elf_image *img = elf_load(path, &zeroed, err, sizeof err);
    ck_assert_msg(img != NULL, "unexpected rejection: %s", err);
    for (size_t i = 0; i < DATA_FILESZ; i++)
        ck_assert_uint_eq(ram[DATA_PADDR - RAM_BASE + i], data_byte(i));
    for (size_t i = DATA_FILESZ; i < DATA_MEMSZ; i++)
        ck_assert_uint_eq(ram[DATA_PADDR - RAM_BASE + i], RAM_FILL);
    elf_image_free(img);
}
END_TEST

START_TEST(test_ram_outside_segments_is_untouched)
{
    struct fixture fx;
    build_valid(&fx);
    struct elf_image *img = load_fixture(&fx);
    size_t written = 0;
    for (size_t i = 0; i < sizeof ram; i++)
        written += ram[i] != RAM_FILL;
    /* Every text and data byte differs from the fill, and so do the zeroed bss bytes. */
    ck_assert_uint_eq(written, TEXT_SIZE + DATA_MEMSZ);
    ck_assert_uint_eq(ram[TEXT_PADDR - RAM_BASE - 1], RAM_FILL);
    ck_assert_uint_eq(ram[TEXT_PADDR - RAM_BASE + TEXT_SIZE], RAM_FILL);
    ck_assert_uint_eq(ram[DATA_PADDR - RAM_BASE + DATA_MEMSZ], RAM_FILL);
    elf_image_free(img);
}
END_TEST

START_TEST(test_segment_ending_exactly_at_ram_end_loads)
{
    struct fixture fx;
    build_valid(&fx);
    set_phdr_field_paddr(&fx, 1, RAM_BASE + RAM_SIZE - DATA_MEMSZ, DATA_MEMSZ);
    struct elf_image *img = load_fixture(&fx);
    ck_assert_uint_eq(ram[RAM_SIZE - DATA_MEMSZ], data_byte(0));
    ck_assert_uint_eq(ram[RAM_SIZE - 1], 0);
    elf_image_free(img);
}
END_TEST

START_TEST(test_touching_segments_do_not_overlap)
{
    struct fixture fx;
    build_valid(&fx);
    set_phdr_field_paddr(&fx, 1, TEXT_PADDR + TEXT_SIZE, DATA_MEMSZ);
    struct elf_image *img = load_fixture(&fx);
    ck_assert_uint_eq(ram[TEXT_PADDR - RAM_BASE + TEXT_SIZE], data_byte(0));
    elf_image_free(img);
}
END_TEST

START_TEST(test_empty_pt_load_is_ignored)
{
    struct fixture fx;
    build_valid(&fx);
    Elf64_Phdr empty = {.p_type = PT_LOAD, .p_paddr = 0x1000, .p_memsz = 0};
    put_phdr(&fx, 2, &empty);
    struct elf_image *img = load_fixture(&fx);
    elf_image_free(img);
}
END_TEST

START_TEST(test_file_without_section_headers_loads_without_symbols)
{
    struct fixture fx;
    build_valid(&fx);
    Elf64_Ehdr eh;
    get_ehdr(&fx, &eh);
    eh.e_shoff = 0;
    eh.e_shnum = 0;
    eh.e_shstrndx = SHN_UNDEF;
    put_ehdr(&fx, &eh);
    struct elf_image *img = load_fixture(&fx);
    ck_assert_uint_eq(elf_symbol_count(img), 0);
    ck_assert(!elf_symbol_at(img, ENTRY, NULL, NULL));
    elf_image_free(img);
}
END_TEST

START_TEST(test_file_hash_is_fnv1a_of_the_bytes)
{
    /* Anchor the reference implementation to a published FNV-1a 64 test vector first. */
    ck_assert_uint_eq(fnv1a64_reference((const uint8_t *)"a", 1), 0xaf63dc4c8601ec8cull);
    struct fixture fx;
    build_valid(&fx);
    struct elf_image *img = load_fixture(&fx);
    ck_assert_uint_eq(elf_file_hash(img), fnv1a64_reference(fx.b, fx.len));
    elf_image_free(img);
}
END_TEST

/* ---- rejections --------------------------------------------------------- */

START_TEST(test_text_file_is_not_an_elf)
{
    const char text[] = "root:x:0:0:root:/root:/bin/bash\n"
                        "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                        "bin:x:2:2:bin:/bin:/usr/sbin/nologin\n";
    expect_rejected_bytes(text, sizeof text - 1, "not an ELF file");
}
END_TEST

START_TEST(test_empty_file_is_not_an_elf)
{
    expect_rejected_bytes("", 0, "not an ELF file");
}
END_TEST

START_TEST(test_file_cut_inside_header_is_truncated_header)
{
    struct fixture fx;
    build_valid(&fx);
    fx.len = 40;
    expect_rejected(&fx, "truncated ELF header");
}
END_TEST

START_TEST(test_file_cut_inside_segment_is_truncated)
{
    struct fixture fx;
    build_valid(&fx);
    fx.len = OFF_DATA + 8;
    expect_rejected(&fx, "truncated: segment 1 needs bytes 0x120-0x130 but the file has 0x128");
}
END_TEST

START_TEST(test_file_cut_inside_section_headers_is_truncated)
{
    struct fixture fx;
    build_valid(&fx);
    size_t full = fx.len;
    fx.len -= 10;
    char want[128];
    snprintf(want, sizeof want,
             "truncated: section header table needs bytes 0x%zx-0x%zx but the file has 0x%zx",
             full - NSEC * sizeof(Elf64_Shdr), full, full - 10);
    expect_rejected(&fx, want);
}
END_TEST

START_TEST(test_x86_64_machine_is_rejected)
{
    struct fixture fx;
    build_valid(&fx);
    Elf64_Ehdr eh;
    get_ehdr(&fx, &eh);
    eh.e_machine = EM_X86_64;
    put_ehdr(&fx, &eh);
    expect_rejected(&fx, "ELF machine is x86-64 (62), expected AArch64 (183)");
}
END_TEST

START_TEST(test_32_bit_class_is_rejected)
{
    struct fixture fx;
    build_valid(&fx);
    fx.b[EI_CLASS] = ELFCLASS32;
    expect_rejected(&fx, "not a 64-bit ELF");
}
END_TEST

START_TEST(test_big_endian_is_rejected)
{
    struct fixture fx;
    build_valid(&fx);
    fx.b[EI_DATA] = ELFDATA2MSB;
    expect_rejected(&fx, "not little-endian");
}
END_TEST

START_TEST(test_unknown_ident_version_is_rejected)
{
    struct fixture fx;
    build_valid(&fx);
    fx.b[EI_VERSION] = EV_NONE;
    expect_rejected(&fx, "unsupported ELF version 0 (expected 1)");
}
END_TEST

START_TEST(test_position_independent_executable_is_rejected)
{
    struct fixture fx;
    build_valid(&fx);
    Elf64_Ehdr eh;
    get_ehdr(&fx, &eh);
    eh.e_type = ET_DYN;
    put_ehdr(&fx, &eh);
    expect_rejected(&fx, "position-independent executables are not supported: link with -no-pie");
}
END_TEST

START_TEST(test_relocatable_object_is_rejected)
{
    struct fixture fx;
    build_valid(&fx);
    Elf64_Ehdr eh;
    get_ehdr(&fx, &eh);
    eh.e_type = ET_REL;
    put_ehdr(&fx, &eh);
    expect_rejected(&fx, "not an executable (ELF type 1)");
}
END_TEST

START_TEST(test_segment_below_ram_is_rejected)
{
    struct fixture fx;
    build_valid(&fx);
    set_phdr_field_paddr(&fx, 0, 0x10000000, TEXT_SIZE);
    expect_rejected(&fx,
                    "segment 0 [0x10000000, 0x10000020) is outside RAM [0x40000000, 0x40010000)");
}
END_TEST

START_TEST(test_segment_past_ram_end_is_rejected)
{
    struct fixture fx;
    build_valid(&fx);
    set_phdr_field_paddr(&fx, 1, RAM_BASE + RAM_SIZE - 0x80, DATA_MEMSZ);
    expect_rejected(&fx,
                    "segment 1 [0x4000ff80, 0x40010080) is outside RAM [0x40000000, 0x40010000)");
}
END_TEST

START_TEST(test_segment_whose_end_wraps_is_rejected)
{
    /* Starts inside RAM; p_paddr + p_memsz wraps to 0x2000, which a naive end check would accept.
     */
    struct fixture fx;
    build_valid(&fx);
    set_phdr_field_paddr(&fx, 1, DATA_PADDR, 0xffffffffc0000000ull);
    expect_rejected(&fx, "segment 1 at 0x40002000 with size 0xffffffffc0000000 wraps around the "
                         "end of the address space");
}
END_TEST

START_TEST(test_filesz_larger_than_memsz_is_rejected)
{
    struct fixture fx;
    build_valid(&fx);
    set_phdr_field_paddr(&fx, 1, DATA_PADDR, DATA_FILESZ - 1);
    expect_rejected(&fx, "segment 1: p_filesz 0x10 is larger than p_memsz 0xf");
}
END_TEST

START_TEST(test_no_pt_load_is_rejected)
{
    struct fixture fx;
    build_valid(&fx);
    for (int i = 0; i < 2; i++) {
        Elf64_Phdr ph;
        get_phdr(&fx, i, &ph);
        ph.p_type = PT_NOTE;
        put_phdr(&fx, i, &ph);
    }
    expect_rejected(&fx, "no loadable segments");
}
END_TEST

START_TEST(test_no_program_headers_is_rejected)
{
    struct fixture fx;
    build_valid(&fx);
    Elf64_Ehdr eh;
    get_ehdr(&fx, &eh);
    eh.e_phnum = 0;
    put_ehdr(&fx, &eh);
    expect_rejected(&fx, "no loadable segments");
}
END_TEST

START_TEST(test_overlapping_segments_are_rejected)
{
    struct fixture fx;
    build_valid(&fx);
    set_phdr_field_paddr(&fx, 1, TEXT_PADDR + 0x10, DATA_MEMSZ);
    expect_rejected(&fx, "segments 0 [0x40001000, 0x40001020) and 1 [0x40001010, 0x40001110) "
                         "overlap");
}
END_TEST

START_TEST(test_missing_file_cannot_be_opened)
{
    char err[256], want[512];
    memset(ram, RAM_FILL, sizeof ram);
    char missing[160];
    snprintf(missing, sizeof missing, "%s/missing.elf", dir);
    ck_assert_ptr_null(elf_load(missing, &mem, err, sizeof err));
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", missing);
    ck_assert_str_eq(err, want);
    ck_assert(ram_untouched());
}
END_TEST

START_TEST(test_symbol_name_outside_string_table_is_rejected)
{
    /* Policy under test: an unreadable .symtab rejects the file rather than dropping symbols. */
    struct fixture fx;
    build_valid(&fx);
    Elf64_Sym s;
    size_t at = OFF_SYMTAB + 6 * sizeof s; /* _start */
    memcpy(&s, fx.b + at, sizeof s);
    s.st_name = 0x7000;
    memcpy(fx.b + at, &s, sizeof s);
    expect_rejected(&fx, "symbol 6: name offset 0x7000 is not a string inside section 4");
}
END_TEST

START_TEST(test_symbol_table_past_end_of_file_is_rejected)
{
    struct fixture fx;
    build_valid(&fx);
    Elf64_Shdr sh;
    get_shdr(&fx, SEC_SYMTAB, &sh);
    sh.sh_size = 0x10000 * sizeof(Elf64_Sym);
    put_shdr(&fx, SEC_SYMTAB, &sh);
    char want[160];
    snprintf(want, sizeof want,
             "truncated: symbol table (section 3) needs bytes 0x%x-0x%zx but the file has 0x%zx",
             OFF_SYMTAB, OFF_SYMTAB + 0x10000 * sizeof(Elf64_Sym), fx.len);
    expect_rejected(&fx, want);
}
END_TEST

START_TEST(test_error_message_fits_a_short_buffer)
{
    char err[8];
    memset(err, 'x', sizeof err);
    write_bytes("", 0);
    ck_assert_ptr_null(elf_load(path, &mem, err, sizeof err));
    ck_assert_uint_eq(strnlen(err, sizeof err), sizeof err - 1);
    ck_assert_int_eq(strncmp(err, path, sizeof err - 1), 0);
}
END_TEST

/* Every single-byte corruption of the valid file either loads or is rejected with a
 * "<path>: " message and untouched RAM; none may crash (the ASan build checks memory safety). */
START_TEST(test_single_byte_corruptions_never_crash)
{
    struct fixture good;
    build_valid(&good);
    uint64_t x = 0x9e3779b97f4a7c15ull; /* fixed seed: the same 2,000 files every run */
    char prefix[160];
    snprintf(prefix, sizeof prefix, "%s: ", path);
    int loaded = 0, rejected = 0;
    for (int n = 0; n < 2000; n++) {
        x ^= x << 13; /* xorshift64 (Marsaglia, shifts 13/7/17) */
        x ^= x >> 7;
        x ^= x << 17;
        struct fixture fx = good;
        size_t at = (size_t)(x % fx.len);
        fx.b[at] ^= (uint8_t)(1 + (x >> 32) % 255);
        char err[256];
        struct elf_image *img = load_bytes(fx.b, fx.len, err, sizeof err);
        if (img) {
            loaded++;
            elf_image_free(img);
            continue;
        }
        rejected++;
        ck_assert_msg(strncmp(err, prefix, strlen(prefix)) == 0 && err[strlen(prefix)] != '\0',
                      "corruption %d (byte 0x%zx): bad message '%s'", n, at, err);
        ck_assert_msg(ram_untouched(), "corruption %d (byte 0x%zx) wrote RAM before rejecting", n,
                      at);
    }
    /* Both outcomes must actually occur, or the test is not exercising what it claims. */
    ck_assert_int_gt(loaded, 0);
    ck_assert_int_gt(rejected, 0);
}
END_TEST

/* ---- symbols ------------------------------------------------------------ */

static struct elf_image *load_valid(void)
{
    struct fixture fx;
    build_valid(&fx);
    return load_fixture(&fx);
}

START_TEST(test_symbol_count_skips_mapping_section_file_and_undefined)
{
    struct elf_image *img = load_valid();
    ck_assert_uint_eq(elf_symbol_count(img), KEPT_SYMS);
    uint64_t a;
    ck_assert(!elf_symbol_addr(img, "$x", &a));
    ck_assert(!elf_symbol_addr(img, "$d.1", &a));
    ck_assert(!elf_symbol_addr(img, "start.S", &a));
    ck_assert(!elf_symbol_addr(img, "ext_undef", &a));
    elf_image_free(img);
}
END_TEST

START_TEST(test_symbol_at_start_prefers_func_then_name)
{
    /* _start, aaa_notype and zz_alias all start at 0x40001000: FUNC beats NOTYPE even though
     * "aaa_notype" sorts first by name, and "_start" beats "zz_alias" by name. */
    struct elf_image *img = load_valid();
    const char *name = NULL;
    uint64_t off = 99;
    ck_assert(elf_symbol_at(img, 0x40001000, &name, &off));
    ck_assert_str_eq(name, "_start");
    ck_assert_uint_eq(off, 0);
    elf_image_free(img);
}
END_TEST

START_TEST(test_symbol_at_inside_sized_symbol)
{
    struct elf_image *img = load_valid();
    const char *name = NULL;
    uint64_t off = 0;
    ck_assert(elf_symbol_at(img, 0x40001014, &name, &off));
    ck_assert_str_eq(name, "helper");
    ck_assert_uint_eq(off, 4);
    elf_image_free(img);
}
END_TEST

START_TEST(test_sized_symbol_wins_over_nearer_unsized_label_inside_it)
{
    struct elf_image *img = load_valid();
    const char *name = NULL;
    uint64_t off = 0;
    ck_assert(elf_symbol_at(img, 0x4000101c, &name, &off)); /* code_label is at 0x40001018 */
    ck_assert_str_eq(name, "helper");
    ck_assert_uint_eq(off, 0xc);
    elf_image_free(img);
}
END_TEST

START_TEST(test_symbol_at_past_end_of_sized_symbol_is_none)
{
    struct elf_image *img = load_valid();
    const char *name = NULL;
    uint64_t off = 0;
    ck_assert(elf_symbol_at(img, 0x40002007, &name, &off));
    ck_assert_str_eq(name, "data_obj");
    /* data_obj is 8 bytes; code_label (unsized, 0x40001018) does not reach past it. */
    ck_assert(!elf_symbol_at(img, 0x40002008, &name, &off));
    ck_assert(!elf_symbol_at(img, 0x40000ff0, &name, &off)); /* below every symbol */
    elf_image_free(img);
}
END_TEST

START_TEST(test_symbol_at_uses_nearest_preceding_unsized_symbol)
{
    struct elf_image *img = load_valid();
    const char *name = NULL;
    uint64_t off = 0;
    ck_assert(elf_symbol_at(img, 0x40001030, &name, &off)); /* past helper's end */
    ck_assert_str_eq(name, "code_label");
    ck_assert_uint_eq(off, 0x18);
    ck_assert(elf_symbol_at(img, 0x40002180, &name, &off));
    ck_assert_str_eq(name, "bss_label");
    ck_assert_uint_eq(off, 0x80);
    elf_image_free(img);
}
END_TEST

START_TEST(test_symbol_addr_by_name)
{
    struct elf_image *img = load_valid();
    uint64_t a = 0;
    ck_assert(elf_symbol_addr(img, "helper", &a));
    ck_assert_uint_eq(a, 0x40001010);
    ck_assert(elf_symbol_addr(img, "bss_label", &a));
    ck_assert_uint_eq(a, 0x40002100);
    ck_assert(!elf_symbol_addr(img, "no_such_symbol", &a));
    elf_image_free(img);
}
END_TEST

/* ---- suite -------------------------------------------------------------- */

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/test_elf.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(EXIT_FAILURE);
    }
    snprintf(path, sizeof path, "%s/x.elf", dir);
}

static void remove_dir(void)
{
    unlink(path);
    rmdir(dir);
}

static Suite *elf_suite(void)
{
    Suite *s = suite_create("elf");
    TCase *load = tcase_create("load");
    tcase_add_unchecked_fixture(load, make_dir, remove_dir);
    tcase_set_timeout(load, 60);
    tcase_add_test(load, test_valid_file_loads_with_its_entry_point);
    tcase_add_test(load, test_segment_bytes_land_at_p_paddr);
    tcase_add_test(load, test_memsz_beyond_filesz_is_zeroed);
    tcase_add_test(load, test_zeroed_ram_gets_no_bss_fill);
    tcase_add_test(load, test_ram_outside_segments_is_untouched);
    tcase_add_test(load, test_segment_ending_exactly_at_ram_end_loads);
    tcase_add_test(load, test_touching_segments_do_not_overlap);
    tcase_add_test(load, test_empty_pt_load_is_ignored);
    tcase_add_test(load, test_file_without_section_headers_loads_without_symbols);
    tcase_add_test(load, test_file_hash_is_fnv1a_of_the_bytes);
    tcase_add_test(load, test_text_file_is_not_an_elf);
    tcase_add_test(load, test_empty_file_is_not_an_elf);
    tcase_add_test(load, test_file_cut_inside_header_is_truncated_header);
    tcase_add_test(load, test_file_cut_inside_segment_is_truncated);
    tcase_add_test(load, test_file_cut_inside_section_headers_is_truncated);
    tcase_add_test(load, test_x86_64_machine_is_rejected);
    tcase_add_test(load, test_32_bit_class_is_rejected);
    tcase_add_test(load, test_big_endian_is_rejected);
    tcase_add_test(load, test_unknown_ident_version_is_rejected);
    tcase_add_test(load, test_position_independent_executable_is_rejected);
    tcase_add_test(load, test_relocatable_object_is_rejected);
    tcase_add_test(load, test_segment_below_ram_is_rejected);
    tcase_add_test(load, test_segment_past_ram_end_is_rejected);
    tcase_add_test(load, test_segment_whose_end_wraps_is_rejected);
    tcase_add_test(load, test_filesz_larger_than_memsz_is_rejected);
    tcase_add_test(load, test_no_pt_load_is_rejected);
    tcase_add_test(load, test_no_program_headers_is_rejected);
    tcase_add_test(load, test_overlapping_segments_are_rejected);
    tcase_add_test(load, test_missing_file_cannot_be_opened);
    tcase_add_test(load, test_symbol_name_outside_string_table_is_rejected);
    tcase_add_test(load, test_symbol_table_past_end_of_file_is_rejected);
    tcase_add_test(load, test_error_message_fits_a_short_buffer);
    tcase_add_test(load, test_single_byte_corruptions_never_crash);
    suite_add_tcase(s, load);

    TCase *sym = tcase_create("symbols");
    tcase_add_unchecked_fixture(sym, make_dir, remove_dir);
    tcase_add_test(sym, test_symbol_count_skips_mapping_section_file_and_undefined);
    tcase_add_test(sym, test_symbol_at_start_prefers_func_then_name);
    tcase_add_test(sym, test_symbol_at_inside_sized_symbol);
    tcase_add_test(sym, test_sized_symbol_wins_over_nearer_unsized_label_inside_it);
    tcase_add_test(sym, test_symbol_at_past_end_of_sized_symbol_is_none);
    tcase_add_test(sym, test_symbol_at_uses_nearest_preceding_unsized_symbol);
    tcase_add_test(sym, test_symbol_addr_by_name);
    suite_add_tcase(s, sym);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(elf_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
