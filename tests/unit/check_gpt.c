// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GPT of the "gpt" layout (include/dm-combine-gpt.h), the code the
 * kernel target runs to synthesise it: GUID text, UTF-16 names, CRCs
 * against zlib, and whole device images of 512- and 4096-byte blocks with
 * 1 and 128 partitions that sgdisk -v and libfdisk must accept as they
 * would a disk.
 */
#include <sys/stat.h>

#include <libfdisk.h>
#include <zlib.h>

#include "check_common.h"
#include "gpt_image.h"

#define TYPE_LINUX "0fc63daf-8483-4772-8e79-3d69d8477de4"

static void guid(const char *text, uint8_t out[DMC_GUID_SIZE])
{
	ck_assert_int_eq(dmc_guid_parse(text, out), 0);
}

START_TEST(test_crc32_matches_zlib)
{
	uint8_t data[4096];
	size_t i, len;

	srand(1);
	for (i = 0; i < sizeof(data); i++)
		data[i] = rand();
	for (len = 0; len <= sizeof(data); len += 97)
		ck_assert_uint_eq(dmc_crc32(0, data, len), crc32(0, data, len));
	/* Chained like zlib: crc of a then b equals crc of ab. */
	ck_assert_uint_eq(dmc_crc32(dmc_crc32(0, data, 100), data + 100, 200),
			  crc32(0, data, 300));
}
END_TEST

START_TEST(test_guid_text)
{
	static const uint8_t linux_data[DMC_GUID_SIZE] = {
		0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47,
		0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4,
	};
	static const char *const refused[] = {
		"", "0fc63daf-8483-4772-8e79-3d69d8477de", "0fc63daf-8483-4772-8e79-3d69d8477de40",
		"0fc63daf+8483-4772-8e79-3d69d8477de4", "0fc63daf-8483-4772-8e79-3d69d8477dg4",
		"0fc63daf84834772-8e79-3d69d8477de4-", " fc63daf-8483-4772-8e79-3d69d8477de4",
	};
	char text[DMC_GUID_STRING_LEN + 1];
	uint8_t bytes[DMC_GUID_SIZE];
	size_t i;

	guid("0FC63DAF-8483-4772-8E79-3D69D8477DE4", bytes);
	ck_assert_mem_eq(bytes, linux_data, DMC_GUID_SIZE);
	dmc_guid_format(bytes, text);
	ck_assert_str_eq(text, TYPE_LINUX);
	ck_assert(!dmc_guid_is_zero(bytes));
	guid("00000000-0000-0000-0000-000000000000", bytes);
	ck_assert(dmc_guid_is_zero(bytes));
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		ck_assert_msg(dmc_guid_parse(refused[i], bytes) == -EINVAL, "%s", refused[i]);
}
END_TEST

/* The UTF-16LE code units of name, or -EINVAL. */
static int encode(const char *name, uint16_t units[DMC_GPT_NAME_UNITS])
{
	uint8_t bytes[2 * DMC_GPT_NAME_UNITS];
	unsigned int i;
	int ret = dmc_gpt_name_encode(name, bytes);

	for (i = 0; i < DMC_GPT_NAME_UNITS; i++)
		units[i] = bytes[2 * i] | bytes[2 * i + 1] << 8;
	return ret;
}

START_TEST(test_name_encoding)
{
	static const char *const refused[] = {
		"", "a b", "a\\b", "tab\there", "del\x7f", "c1\xc2\x85", "\xc0\x80",
		"\xed\xa0\x80", "\x80", "\xe2\x82", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
		"0123456789012345678901234567890123456",		/* 37 units */
		"01234567890123456789012345678901234\xf0\x9f\x98\x80",	/* 35 + a pair */
	};
	uint16_t units[DMC_GPT_NAME_UNITS];
	size_t i;

	ck_assert_int_eq(encode("web-01", units), 0);
	ck_assert_uint_eq(units[0], 'w');
	ck_assert_uint_eq(units[5], '1');
	ck_assert_uint_eq(units[6], 0);
	ck_assert_int_eq(encode("Donn\xc3\xa9" "es\xe2\x82\xac\xf0\x9f\x98\x80", units), 0);
	ck_assert_uint_eq(units[4], 0xe9);
	ck_assert_uint_eq(units[7], 0x20ac);
	ck_assert_uint_eq(units[8], 0xd83d);
	ck_assert_uint_eq(units[9], 0xde00);
	ck_assert_uint_eq(units[10], 0);
	ck_assert_int_eq(encode("012345678901234567890123456789012345", units), 0);
	ck_assert_int_eq(encode("0123456789012345678901234567890123\xf0\x9f\x98\x80", units), 0);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		ck_assert_msg(encode(refused[i], units) == -EINVAL, "entry %zu", i);
}
END_TEST

struct image {
	struct dmc_gpt gpt;
	uint64_t first[DMC_GPT_ENTRIES + 1], last[DMC_GPT_ENTRIES + 1];
	char names[DMC_GPT_ENTRIES + 1][64];
	char guids[DMC_GPT_ENTRIES + 1][DMC_GUID_STRING_LEN + 1];
	char path[64];
};

static const char *const sample_names[] = {
	"web-01", "Donn\xc3\xa9" "es", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "smile\xf0\x9f\x98\x80",
};

/*
 * A device of count partitions, each a little bigger than the one before
 * so that padding varies, at 1 MiB-aligned starts, as the tool lays them
 * out; the GPT bytes are written to a sparse file.
 */
static void image_build(struct image *image, uint32_t block_size, unsigned int count)
{
	struct dmc_gpt *gpt = &image->gpt;
	uint64_t per_block = block_size / 512, sector = DMC_GPT_ALIGN_SECTORS;
	uint8_t type[DMC_GUID_SIZE], part_guid[DMC_GUID_SIZE];
	unsigned int i;

	memset(image, 0, sizeof(*image));
	for (i = 1; i <= count; i++) {
		uint64_t length = DMC_GPT_ALIGN_SECTORS + i * 8;

		image->first[i] = sector / per_block;
		image->last[i] = (sector + length) / per_block - 1;
		sector = (sector + length + DMC_GPT_ALIGN_SECTORS - 1) /
			 DMC_GPT_ALIGN_SECTORS * DMC_GPT_ALIGN_SECTORS;
	}
	gpt_image_alloc(gpt, block_size, image->last[count] + 1 + dmc_gpt_tail_blocks(block_size));
	guid("5d1b7a6e-0c4f-4a57-9c2e-000000000001", gpt->disk_guid);

	guid(TYPE_LINUX, type);
	for (i = 1; i <= count; i++) {
		snprintf(image->names[i], sizeof(image->names[i]), "%s-%u",
			 sample_names[i % 4], i);
		snprintf(image->guids[i], sizeof(image->guids[i]),
			 "a0b1c2d3-e4f5-4a6b-8c7d-%012x", i);
		guid(image->guids[i], part_guid);
		ck_assert_int_eq(dmc_gpt_set_entry(gpt, i, type, part_guid, image->first[i],
						   image->last[i], image->names[i]), 0);
	}
	dmc_gpt_finish(gpt);

	snprintf(image->path, sizeof(image->path), "gpt-%u-%u.img", block_size, count);
	gpt_image_write(gpt, image->path);
}

static void image_free(struct image *image)
{
	unlink(image->path);
	gpt_image_free(&image->gpt);
}

static uint64_t get_le(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

/* Header fields and both CRCs, read back from the file and checked by zlib. */
static void check_header(const struct image *image, uint64_t lba, uint64_t alternate,
			 uint64_t entries_lba)
{
	uint32_t bs = image->gpt.block_size;
	uint8_t header[DMC_GPT_HEADER_SIZE], entries[DMC_GPT_ENTRIES_BYTES];
	uint32_t crc;
	int fd = open(image->path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, header, sizeof(header), lba * bs), sizeof(header));
	ck_assert_int_eq(pread(fd, entries, sizeof(entries), entries_lba * bs), sizeof(entries));
	close(fd);
	ck_assert_mem_eq(header, "EFI PART", 8);
	ck_assert_uint_eq(get_le(header + 24, 8), lba);
	ck_assert_uint_eq(get_le(header + 32, 8), alternate);
	ck_assert_uint_eq(get_le(header + 40, 8), 2 + DMC_GPT_ENTRIES_BYTES / bs);
	ck_assert_uint_eq(get_le(header + 48, 8),
			  image->gpt.nr_blocks - 2 - DMC_GPT_ENTRIES_BYTES / bs);
	ck_assert_uint_eq(get_le(header + 72, 8), entries_lba);
	ck_assert_uint_eq(get_le(header + 88, 4), crc32(0, entries, sizeof(entries)));
	crc = get_le(header + 16, 4);
	memset(header + 16, 0, 4);
	ck_assert_uint_eq(crc, crc32(0, header, sizeof(header)));
}

static void check_libfdisk(const struct image *image, unsigned int count)
{
	struct fdisk_context *cxt = fdisk_new_context();
	struct fdisk_table *table = NULL;
	uint32_t bs = image->gpt.block_size;
	size_t i;

	ck_assert_ptr_nonnull(cxt);
	ck_assert_int_eq(fdisk_save_user_sector_size(cxt, bs, bs), 0);
	ck_assert_int_eq(fdisk_assign_device(cxt, image->path, 1), 0);
	ck_assert_uint_eq(fdisk_get_sector_size(cxt), bs);
	ck_assert(fdisk_is_labeltype(cxt, FDISK_DISKLABEL_GPT));
	ck_assert_int_eq(fdisk_get_partitions(cxt, &table), 0);
	ck_assert_uint_eq(fdisk_table_get_nents(table), count);
	for (i = 0; i < count; i++) {
		struct fdisk_partition *part = fdisk_table_get_partition(table, i);
		size_t n = fdisk_partition_get_partno(part) + 1;

		ck_assert_uint_eq(n, i + 1);
		ck_assert_uint_eq(fdisk_partition_get_start(part), image->first[n]);
		ck_assert_uint_eq(fdisk_partition_get_size(part),
				  image->last[n] - image->first[n] + 1);
		ck_assert_str_eq(fdisk_partition_get_name(part), image->names[n]);
		ck_assert_int_eq(strcasecmp(fdisk_partition_get_uuid(part), image->guids[n]), 0);
		ck_assert_int_eq(strcasecmp(fdisk_parttype_get_string(fdisk_partition_get_type(part)),
					    TYPE_LINUX), 0);
	}
	fdisk_unref_table(table);
	fdisk_deassign_device(cxt, 1);
	fdisk_unref_context(cxt);
}

static void check_image(uint32_t block_size, unsigned int count)
{
	struct image *image = malloc(sizeof(*image));
	uint64_t last;

	ck_assert_ptr_nonnull(image);
	image_build(image, block_size, count);
	last = image->gpt.nr_blocks - 1;
	check_header(image, 1, last, 2);
	check_header(image, last, 1, last - DMC_GPT_ENTRIES_BYTES / block_size);
	gpt_image_check_sgdisk(image->path, block_size);
	check_libfdisk(image, count);
	image_free(image);
	free(image);
}

START_TEST(test_image_512_one)
{
	check_image(512, 1);
}
END_TEST

START_TEST(test_image_512_full)
{
	check_image(512, DMC_GPT_ENTRIES);
}
END_TEST

START_TEST(test_image_4096_one)
{
	check_image(4096, 1);
}
END_TEST

START_TEST(test_image_4096_full)
{
	check_image(4096, DMC_GPT_ENTRIES);
}
END_TEST

START_TEST(test_read_areas)
{
	struct image *image = malloc(sizeof(*image));
	uint8_t buf[8192], zero[8192] = { 0 };
	uint64_t end;

	ck_assert_ptr_nonnull(image);
	image_build(image, 512, 2);
	end = image->gpt.nr_blocks * 512;
	/* Padding between volumes reads zero; reads may straddle areas. */
	memset(buf, 0xff, sizeof(buf));
	dmc_gpt_read(&image->gpt, (image->last[1] + 1) * 512, buf, 4096);
	ck_assert_mem_eq(buf, zero, 4096);
	dmc_gpt_read(&image->gpt, 0, buf, 1024);
	ck_assert_uint_eq(buf[510], 0x55);
	ck_assert_uint_eq(buf[511], 0xaa);
	ck_assert_uint_eq(buf[446 + 4], 0xee);
	ck_assert_mem_eq(buf + 512, "EFI PART", 8);
	dmc_gpt_read(&image->gpt, end - 512 - DMC_GPT_ENTRIES_BYTES - 512, buf, 1024);
	ck_assert_mem_eq(buf, zero, 512);
	ck_assert_mem_eq(buf + 512, dmc_gpt_entry(&image->gpt, 1), 512);
	dmc_gpt_read(&image->gpt, end - 512, buf, 512);
	ck_assert_mem_eq(buf, "EFI PART", 8);
	image_free(image);
	free(image);
}
END_TEST

START_TEST(test_entry_refusals)
{
	struct dmc_gpt gpt = { .block_size = 512, .nr_blocks = 10000 };
	uint8_t type[DMC_GUID_SIZE], id[DMC_GUID_SIZE], zero[DMC_GUID_SIZE] = { 0 };
	uint64_t last_usable = 10000 - 34;

	gpt.head = calloc(1, dmc_gpt_head_bytes(512));
	ck_assert_ptr_nonnull(gpt.head);
	guid(TYPE_LINUX, type);
	guid("a0b1c2d3-e4f5-4a6b-8c7d-000000000001", id);
	ck_assert_int_eq(dmc_gpt_set_entry(&gpt, 0, type, id, 2048, 4095, "a"), -EDOM);
	ck_assert_int_eq(dmc_gpt_set_entry(&gpt, 129, type, id, 2048, 4095, "a"), -EDOM);
	ck_assert_int_eq(dmc_gpt_set_entry(&gpt, 1, type, id, 33, 4095, "a"), -ERANGE);
	ck_assert_int_eq(dmc_gpt_set_entry(&gpt, 1, type, id, 2048, last_usable + 1, "a"), -ERANGE);
	ck_assert_int_eq(dmc_gpt_set_entry(&gpt, 1, type, id, 4096, 4095, "a"), -ERANGE);
	ck_assert_int_eq(dmc_gpt_set_entry(&gpt, 1, zero, id, 2048, 4095, "a"), -EINVAL);
	ck_assert_int_eq(dmc_gpt_set_entry(&gpt, 1, type, zero, 2048, 4095, "a"), -EINVAL);
	ck_assert_int_eq(dmc_gpt_set_entry(&gpt, 1, type, id, 2048, 4095, "a b"), -EINVAL);
	ck_assert_int_eq(dmc_gpt_set_entry(&gpt, 128, type, id, 34, last_usable, "a"), 0);
	ck_assert_int_eq(dmc_gpt_set_entry(&gpt, 128, type, id, 34, last_usable, "a"), -EEXIST);
	free(gpt.head);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("gpt");

	tcase_add_test(add_tcase(suite, "crc32 matches zlib"), test_crc32_matches_zlib);
	tcase_add_test(add_tcase(suite, "guid text"), test_guid_text);
	tcase_add_test(add_tcase(suite, "names in UTF-16"), test_name_encoding);
	tcase_add_test(add_tcase(suite, "entry refusals"), test_entry_refusals);
	tcase_add_test(add_tcase(suite, "reads of each area"), test_read_areas);
	tcase_add_test(add_tcase(suite, "512 bytes, 1 partition"), test_image_512_one);
	tcase_add_test(add_tcase(suite, "512 bytes, 128 partitions"), test_image_512_full);
	tcase_add_test(add_tcase(suite, "4096 bytes, 1 partition"), test_image_4096_one);
	tcase_add_test(add_tcase(suite, "4096 bytes, 128 partitions"), test_image_4096_full);
	return run_suite(suite);
}
