// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness of the registry reader (userspace/registry.c).
 *
 * An input is the bytes of a registry file.  A refusal must say why.  A map
 * the reader accepts must hold what registry.h promises (regions laid end to
 * end, aligned, within their volumes, unique valid IDs, at least one
 * volume), and must format into a file that reads back into the same map
 * and formats into the same text. import's reader (portable.c) takes the
 * same bytes: it gives the same disk, marked shared, or refuses with a
 * reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-check.h"
#include "portable.h"
#include "registry.h"
#include "uuid.h"

static void check_map(const struct combined *c)
{
	uint64_t end = 0;
	size_t i;

	CHECK(name_is_valid(c->name) && uuid_is_valid(c->uuid) &&
	      logical_block_size_valid(c->logical_block_size), "device fields invalid");
	CHECK(c->nr_regions && combined_volume_count(c), "no volumes");
	for (i = 0; i < c->nr_regions; i++) {
		const struct region *r = &c->regions[i];

		CHECK(r->start == end && r->length && r->length <= MAX_SECTORS - end &&
		      sectors_aligned(r->length, c->logical_block_size),
		      "region %zu at %llu+%llu", i, (unsigned long long)r->start,
		      (unsigned long long)r->length);
		end += r->length;
		if (r->hole)
			continue;
		CHECK(name_is_valid(r->id) && combined_find(c, r->id) == (ssize_t)i,
		      "region %zu: ID \"%s\" invalid or not unique", i, r->id);
		CHECK(text_is_safe(r->source) && r->source[0] && text_is_safe(r->identity),
		      "region %zu: source or identity unsafe", i);
		CHECK(r->offset <= r->size && r->length <= r->size - r->offset &&
		      sectors_aligned(r->offset, c->logical_block_size),
		      "region %zu: past the end of its volume or misaligned", i);
		CHECK(c->layout == LAYOUT_GPT ?
		      r->partition >= 1 && r->partition <= DMC_GPT_ENTRIES &&
		      uuid_is_valid(r->partuuid) && uuid_is_valid(r->parttype) &&
		      strlen(r->id) <= DMC_GPT_NAME_UNITS :
		      !r->partition && !r->partuuid[0] && !r->parttype[0],
		      "region %zu: partition data does not fit the layout", i);
	}
	CHECK(c->layout == LAYOUT_GPT ?
	      c->regions[0].gpt_area && c->regions[c->nr_regions - 1].gpt_area &&
	      combined_volume_count(c) <= DMC_GPT_ENTRIES :
	      !c->regions[0].gpt_area && !c->regions[c->nr_regions - 1].gpt_area,
	      "gpt areas do not fit the layout");
}

static void check_equal(const struct combined *a, const struct combined *b)
{
	size_t i;

	CHECK(!strcmp(a->name, b->name) && !strcmp(a->uuid, b->uuid) &&
	      a->layout == b->layout && a->logical_block_size == b->logical_block_size &&
	      a->shared == b->shared && a->nr_regions == b->nr_regions,
	      "device changed in the round trip");
	for (i = 0; i < a->nr_regions; i++) {
		const struct region *x = &a->regions[i], *y = &b->regions[i];

		CHECK(x->start == y->start && x->length == y->length && x->hole == y->hole &&
		      x->gpt_area == y->gpt_area, "region %zu moved in the round trip", i);
		if (x->hole)
			continue;
		CHECK(!strcmp(x->id, y->id) && !strcmp(x->source, y->source) &&
		      !strcmp(x->identity, y->identity) && x->size == y->size &&
		      x->offset == y->offset && x->loop == y->loop &&
		      x->partition == y->partition && !strcmp(x->partuuid, y->partuuid) &&
		      !strcmp(x->parttype, y->parttype),
		      "volume %zu changed in the round trip", i);
	}
}

/* What import makes of a map the registry reader accepted. */
static void check_portable(const uint8_t *data, size_t size, const struct combined *map)
{
	char why[REGISTRY_WHY_MAX] = "";
	struct combined *imported = NULL;
	size_t i;
	int r = portable_parse((const char *)data, size, NULL, &imported, why);

	if (r) {
		CHECK(!imported && (r == -ENOMEM || (r == -EINVAL && why[0])),
		      "import refused (%d) without saying why", r);
		return;
	}
	CHECK(imported->shared && portable_same_disk(map, imported) &&
	      !strcmp(map->name, imported->name), "import changed the disk");
	for (i = 0; i < imported->nr_regions; i++)
		CHECK(imported->regions[i].hole ||
		      !strcmp(imported->regions[i].source, imported->regions[i].identity),
		      "region %zu: import kept the other host's source", i);
	combined_free(imported);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct combined *map, *again;
	char why[REGISTRY_WHY_MAX] = "", *text, *text_again;
	int r;

	r = registry_parse((const char *)data, size, &map, why);
	if (r) {
		CHECK(r == -ENOMEM || (r == -EINVAL && why[0]),
		      "refused (%d) without saying why", r);
		return 0;
	}
	check_map(map);
	check_portable(data, size, map);
	text = registry_format(map);
	CHECK(text, "out of memory");
	r = registry_parse(text, strlen(text), &again, why);
	CHECK(!r, "formatted map refused (%s):\n%s", why, text);
	check_equal(map, again);
	text_again = registry_format(again);
	CHECK(text_again && !strcmp(text, text_again), "formatted twice differently");
	free(text_again);
	free(text);
	combined_free(again);
	combined_free(map);
	return 0;
}
