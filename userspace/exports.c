// SPDX-License-Identifier: GPL-2.0-only
/* Saved exports, beside the map (see exports.h). */
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exports.h"
#include "log.h"
#include "secret.h"
#include "store.h"

#define EXPORTS_FORMAT 1
/* The saved text is small: a few exports of a handful of fields. */
#define EXPORTS_MAX_DEPTH 8

static int corrupt(const char *dir, const char *name, const char *why)
{
	return log_error(-EINVAL, name, "%s/%s.exports is corrupt: %s (dmcombine unexport %s forgets it)",
			 dir, name, why, name);
}

/*
 * The saved entries as a JSON array (empty when nothing is saved), and the
 * text they came from in *text (NULL when nothing is saved).
 */
static int load(const char *dir, const char *name, json_object **entries, char **text)
{
	json_object *root, *field;
	json_tokener *tokener;
	size_t len;
	int r;

	*entries = NULL;
	r = store_load_exports(dir, name, text, &len);
	if (r == -ENOENT) {
		*text = NULL;
		*entries = json_object_new_array();
		return *entries ? 0 : log_error(-ENOMEM, name, "%s", strerror(ENOMEM));
	}
	if (r)
		return r;
	tokener = json_tokener_new_ex(EXPORTS_MAX_DEPTH);
	if (!tokener) {
		free(*text);
		return log_error(-ENOMEM, name, "%s", strerror(ENOMEM));
	}
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tokener, *text, (int)len);
	json_tokener_free(tokener);
	if (root && json_object_is_type(root, json_type_object) &&
	    json_object_object_get_ex(root, "format", &field) &&
	    json_object_is_type(field, json_type_int) && json_object_get_int(field) == EXPORTS_FORMAT &&
	    json_object_object_get_ex(root, "exports", &field) &&
	    json_object_is_type(field, json_type_array))
		*entries = json_object_get(field);
	json_object_put(root);
	if (*entries)
		return 0;
	free(*text);
	*text = NULL;
	return corrupt(dir, name, "not {\"format\": 1, \"exports\": [...]}");
}

/* A string field of an entry, or NULL. */
static const char *string_field(json_object *entry, const char *key)
{
	json_object *field;

	if (!json_object_object_get_ex(entry, key, &field) || !json_object_is_type(field, json_type_string))
		return NULL;
	return json_object_get_string(field);
}

static void iscsi_entry(json_object *entry, const struct lio_iscsi *iscsi, const char *password_file)
{
	json_object *initiators = json_object_new_array();
	size_t i;

	json_object_object_add(entry, "portal", json_object_new_string(iscsi->portal));
	for (i = 0; i < iscsi->nr_initiators; i++)
		json_object_array_add(initiators, json_object_new_string(iscsi->initiators[i]));
	json_object_object_add(entry, "initiators", initiators);
	if (iscsi->chap_user) {
		json_object_object_add(entry, "chap_user", json_object_new_string(iscsi->chap_user));
		json_object_object_add(entry, "chap_password_file", json_object_new_string(password_file));
	}
}

/*
 * The text exports_save writes: the saved exports with the one over
 * fabric replaced; *before the saved text (NULL: none), as exports_save
 * gives it.
 */
static int saved_text(const char *dir, const char *name, enum lio_fabric fabric,
		      const struct lio_iscsi *iscsi, const char *chap_password_file,
		      char **text, char **before)
{
	json_object *entries, *root, *kept, *entry;
	char password_file[PATH_MAX];
	const char *saved;
	size_t i;
	int r;

	/* Restored at boot from another working directory: the file's full path. */
	if (fabric == LIO_ISCSI && iscsi->chap_user && !realpath(chap_password_file, password_file))
		return log_error(-errno, chap_password_file, "%s", strerror(errno));
	r = load(dir, name, &entries, before);
	if (r)
		return r;
	root = json_object_new_object();
	kept = json_object_new_array();
	json_object_object_add(root, "format", json_object_new_int(EXPORTS_FORMAT));
	for (i = 0; i < json_object_array_length(entries); i++) {
		entry = json_object_array_get_idx(entries, i);
		saved = string_field(entry, "fabric");
		if (!saved || strcmp(saved, lio_fabric_name(fabric)))
			json_object_array_add(kept, json_object_get(entry));
	}
	entry = json_object_new_object();
	json_object_object_add(entry, "fabric", json_object_new_string(lio_fabric_name(fabric)));
	if (fabric == LIO_ISCSI)
		iscsi_entry(entry, iscsi, password_file);
	json_object_array_add(kept, entry);
	json_object_object_add(root, "exports", kept);
	/* As the map is written: one field a line, for an admin's eyes. */
	if (asprintf(text, "%s\n", json_object_to_json_string_ext(root,
		     JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
		*text = NULL;
	json_object_put(root);
	json_object_put(entries);
	if (*text)
		return 0;
	free(*before);
	*before = NULL;
	return log_error(-ENOMEM, name, "%s", strerror(ENOMEM));
}

int exports_save(const char *dir, const char *name, enum lio_fabric fabric,
		 const struct lio_iscsi *iscsi, const char *chap_password_file, char **before)
{
	char *text;
	int r = saved_text(dir, name, fabric, iscsi, chap_password_file, &text, before);

	if (r)
		return r;
	r = store_save_exports(dir, name, text);
	free(text);
	if (r) {
		free(*before);
		*before = NULL;
	}
	return r;
}

int exports_preview(const char *dir, const char *name, enum lio_fabric fabric,
		    const struct lio_iscsi *iscsi, const char *chap_password_file, char **text)
{
	char *before;
	int r = saved_text(dir, name, fabric, iscsi, chap_password_file, text, &before);

	if (!r)
		free(before);
	return r;
}

bool exports_saved(const char *dir, const char *name)
{
	size_t len;
	char *text;
	int r = store_load_exports(dir, name, &text, &len);

	if (!r)
		free(text);
	return r != -ENOENT;
}

int exports_load_saved(const char *dir, const char *name, json_object **entries)
{
	char *text;
	int r = load(dir, name, entries, &text);

	if (!r)
		free(text);
	return r;
}

int exports_put_back(const char *dir, const char *name, char *before)
{
	int r = before ? store_save_exports(dir, name, before) : store_delete_exports(dir, name);

	free(before);
	return r;
}

/*
 * The iSCSI part of a saved entry, checked as export checks its options;
 * the portal normalized into portal, the password read from its file.
 */
static int iscsi_saved(const char *dir, const char *name, json_object *entry,
		       struct lio_iscsi *iscsi, char *portal, size_t portal_size,
		       char *password, size_t password_size)
{
	const char *password_file = string_field(entry, "chap_password_file");
	const char *saved_portal = string_field(entry, "portal");
	json_object *initiators;
	size_t i;

	iscsi->portal = portal;
	iscsi->chap_user = string_field(entry, "chap_user");
	if (!saved_portal || lio_portal_normalize(saved_portal, portal, portal_size) ||
	    !json_object_object_get_ex(entry, "initiators", &initiators) ||
	    !json_object_is_type(initiators, json_type_array) ||
	    !json_object_array_length(initiators) ||
	    json_object_array_length(initiators) > LIO_MAX_INITIATORS ||
	    !iscsi->chap_user != !password_file)
		return corrupt(dir, name, "an iscsi export needs a portal, 1 to 16 initiators, and CHAP user and file together");
	for (i = 0; i < json_object_array_length(initiators); i++) {
		iscsi->initiators[i] = json_object_get_string(json_object_array_get_idx(initiators, i));
		if (!lio_iscsi_name_valid(iscsi->initiators[i]))
			return corrupt(dir, name, "an initiator is not an iSCSI name");
	}
	iscsi->nr_initiators = i;
	if (!password_file)
		return 0;
	iscsi->chap_password = password;
	return secret_read(password_file, password, password_size, 255);
}

/*
 * One saved entry made again, unless configfs holds an export over its
 * fabric; the entry goes into made when it is (dry_run: would be) made.
 */
static int restore_one(const char *dir, const struct combined *combined, json_object *entry,
		       const struct lio_export *live, size_t nr_live, bool dry_run,
		       json_object *made)
{
	const char *fabric_name = string_field(entry, "fabric");
	struct lio_iscsi iscsi = { 0 };
	struct lio_export done = { 0 };
	char portal[64], password[258];
	enum lio_fabric fabric;
	size_t i;
	int r = 0;

	if (!fabric_name || lio_fabric_parse(fabric_name, &fabric))
		return corrupt(dir, combined->name, "an export without a known fabric");
	for (i = 0; i < nr_live; i++) {
		if (live[i].fabric == fabric) {
			log_verbose("%s: already exported over %s", combined->name, fabric_name);
			return 0;
		}
	}
	if (fabric == LIO_ISCSI)
		r = iscsi_saved(dir, combined->name, entry, &iscsi, portal, sizeof(portal),
				password, sizeof(password));
	if (!r && !dry_run)
		r = lio_export(combined, fabric, &iscsi, &done);
	explicit_bzero(password, sizeof(password));
	if (!r)
		json_object_array_add(made, json_object_get(entry));
	if (!r && !dry_run)
		log_info("%s: exported over %s again%s%s", combined->name, fabric_name,
			 done.disk[0] ? " as " : "", done.disk);
	return r;
}

int exports_restore(const char *dir, const struct combined *combined, bool dry_run,
		    json_object *made)
{
	struct lio_export *live = NULL;
	json_object *entries;
	size_t i, nr_live = 0;
	char *text;
	int r, one;

	r = load(dir, combined->name, &entries, &text);
	if (r)
		return r;
	free(text);
	r = json_object_array_length(entries) ? lio_exports(combined, &live, &nr_live) : 0;
	/* Each export on its own: one that fails does not keep back the others. */
	for (i = 0; live && i < json_object_array_length(entries); i++) {
		one = restore_one(dir, combined, json_object_array_get_idx(entries, i), live, nr_live,
				  dry_run, made);
		if (!r)
			r = one;
	}
	free(live);
	json_object_put(entries);
	return r;
}
