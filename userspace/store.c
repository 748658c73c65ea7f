// SPDX-License-Identifier: GPL-2.0-only
/* Registry files in the config directory: load, atomic save, delete, list. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "registry.h"
#include "store.h"

#define SUFFIX ".json"
#define PENDING ".pending"
/* The saved exports beside the map (exports.h). */
#define EXPORTS ".exports"
/*
 * "NAME.json", the temporary ".NAME.json.<16 hex digits>", ".NAME.json.pending",
 * "NAME.exports" and its temporary ".NAME.exports.<16 hex digits>".
 */
#define FILE_NAME_MAX (NAME_MAX_LEN + 32)

/*
 * Opens the directory, never through a symlink, and refuses one that others
 * could write to. With create, makes it (mode 0700) when missing.
 */
static int open_dir(const char *dir, bool create)
{
	struct stat st;
	int fd;

	if (create && mkdir(dir, 0700) && errno != EEXIST)
		return log_error(-errno, dir, "cannot create: %s", strerror(errno));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR))
		return log_error(-ELOOP, dir, "a symbolic link or not a directory: refused");
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : log_error(-errno, dir, "%s", strerror(errno));
	if (fstat(fd, &st) || (st.st_mode & 022) || st.st_uid != geteuid()) {
		close(fd);
		return log_error(-EPERM, dir, "writable by others or not owned by this user: refused");
	}
	return fd;
}

static void file_name(char name_out[FILE_NAME_MAX], const char *name)
{
	snprintf(name_out, FILE_NAME_MAX, "%s" SUFFIX, name);
}

static void pending_name(char name_out[FILE_NAME_MAX], const char *name)
{
	snprintf(name_out, FILE_NAME_MAX, ".%s" SUFFIX PENDING, name);
}

static void exports_name(char name_out[FILE_NAME_MAX], const char *name)
{
	snprintf(name_out, FILE_NAME_MAX, "%s" EXPORTS, name);
}

static int read_all(int fd, char **text, size_t *len, const char *what)
{
	struct stat st;
	ssize_t n;
	size_t used = 0;

	if (fstat(fd, &st))
		return log_error(-errno, what, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return log_error(-EINVAL, what, "not a regular file: refused");
	if ((uint64_t)st.st_size > REGISTRY_MAX_BYTES)
		return log_error(-EFBIG, what, "larger than %u bytes: refused", REGISTRY_MAX_BYTES);
	*text = malloc((size_t)st.st_size + 1);
	if (!*text)
		return log_error(-ENOMEM, what, "%s", strerror(ENOMEM));
	while (used < (size_t)st.st_size) {
		n = read(fd, *text + used, (size_t)st.st_size - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(*text);
			return log_error(n ? -errno : -EIO, what, "cannot read: %s",
					 n ? strerror(errno) : "file shrank");
		}
		used += (size_t)n;
	}
	*len = used;
	return 0;
}

/*
 * Opens file in dir for reading, never through a symlink; its full path in
 * path. -ENOENT, unlogged, when there is none.
 */
static int open_file(const char *dir, const char *file, char path[PATH_MAX])
{
	int dir_fd, fd, r;

	snprintf(path, PATH_MAX, "%s/%s", dir, file);
	dir_fd = open_dir(dir, false);
	if (dir_fd < 0)
		return dir_fd;
	fd = openat(dir_fd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	r = -errno;
	close(dir_fd);
	if (fd >= 0 || r == -ENOENT)
		return fd >= 0 ? fd : r;
	if (r == -ELOOP)
		return log_error(r, path, "a symbolic link: refused");
	return log_error(r, path, "%s", strerror(-r));
}

/* Loads file, the map of name; -ENOENT unlogged when there is none. */
static int load_file(const char *dir, const char *file, const char *name,
		     struct combined **combined)
{
	char path[PATH_MAX], why[REGISTRY_WHY_MAX], *text = NULL;
	size_t len = 0;
	int fd, r;

	/* NULL on failure: callers may combined_free() on every path. */
	*combined = NULL;
	fd = open_file(dir, file, path);
	if (fd < 0)
		return fd;
	r = read_all(fd, &text, &len, path);
	close(fd);
	if (r)
		return r;
	r = registry_parse(text, len, combined, why);
	free(text);
	if (r == -EINVAL)
		return log_error(r, path, "corrupt: %s", why);
	if (r)
		return log_error(r, path, "%s", strerror(-r));
	if (strcmp((*combined)->name, name)) {
		log_error(-EINVAL, path, "corrupt: holds the map of \"%s\"", (*combined)->name);
		combined_free(*combined);
		*combined = NULL;
		return -EINVAL;
	}
	return 0;
}

int store_load(const char *dir, const char *name, struct combined **combined)
{
	char file[FILE_NAME_MAX];
	int r;

	file_name(file, name);
	r = load_file(dir, file, name, combined);
	if (r == -ENOENT)
		return log_error(-ENOENT, name, "no such combined device (no %s/%s)", dir, file);
	return r;
}

int store_load_pending(const char *dir, const char *name, struct combined **combined)
{
	char file[FILE_NAME_MAX];

	pending_name(file, name);
	return load_file(dir, file, name, combined);
}

bool store_exists(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s" SUFFIX, dir, name);
	return !lstat(path, &st);
}

static int write_all(int fd, const char *text, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes text to a new temporary file ".STEM.<hex>" in the directory; its name in tmp. */
static int write_temporary(int dir_fd, const char *stem, const char *text,
			   char tmp[FILE_NAME_MAX])
{
	uint64_t suffix;
	int fd, r;

	if (getrandom(&suffix, sizeof(suffix), 0) != sizeof(suffix))
		return -EIO;
	snprintf(tmp, FILE_NAME_MAX, ".%s.%016" PRIx64, stem, suffix);
	fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	r = write_all(fd, text, strlen(text));
	if (!r && fsync(fd))
		r = -errno;
	if (close(fd) && !r)
		r = -errno;
	if (r)
		unlinkat(dir_fd, tmp, 0);
	return r;
}

/*
 * Renames from over file: the commit point, from here every reader loads
 * the new map, so the change stands. The directory fsync only makes the
 * rename survive a power cut; when it fails the caller must not undo the
 * change, or kernel and map would disagree now.
 */
static int commit(int dir_fd, const char *dir, const char *from, const char *file,
		  const char *name)
{
	if (renameat(dir_fd, from, dir_fd, file))
		return -errno;
	if (fsync(dir_fd))
		log_error(0, dir, "warning: the map of %s is saved but may not survive a power cut: %s",
			  name, strerror(errno));
	return 0;
}

/*
 * Writes the map, as its next generation (combined->generation + 1) when
 * next_generation, to a temporary file and renames it to file (see commit).
 */
static int save_as(const char *dir, struct combined *combined, const char *file,
		   bool next_generation)
{
	char tmp[FILE_NAME_MAX], stem[FILE_NAME_MAX], *text;
	int dir_fd, r;

	dir_fd = open_dir(dir, true);
	if (dir_fd < 0)
		return dir_fd;
	if (next_generation)
		combined->generation++;
	text = registry_format(combined);
	file_name(stem, combined->name);
	r = text ? write_temporary(dir_fd, stem, text, tmp) : -ENOMEM;
	free(text);
	if (!r) {
		r = commit(dir_fd, dir, tmp, file, combined->name);
		if (r)
			unlinkat(dir_fd, tmp, 0);
	}
	close(dir_fd);
	if (r)
		return log_error(r, dir, "cannot save the map of %s: %s", combined->name, strerror(-r));
	return 0;
}

int store_save(const char *dir, struct combined *combined)
{
	char file[FILE_NAME_MAX];

	file_name(file, combined->name);
	return save_as(dir, combined, file, true);
}

int store_save_mark(const char *dir, struct combined *combined)
{
	char file[FILE_NAME_MAX];

	file_name(file, combined->name);
	return save_as(dir, combined, file, false);
}

int store_save_pending(const char *dir, struct combined *combined)
{
	char file[FILE_NAME_MAX];

	pending_name(file, combined->name);
	return save_as(dir, combined, file, true);
}

int store_commit_pending(const char *dir, const char *name)
{
	char file[FILE_NAME_MAX], pending[FILE_NAME_MAX];
	int dir_fd, r;

	dir_fd = open_dir(dir, false);
	if (dir_fd < 0)
		return dir_fd;
	file_name(file, name);
	pending_name(pending, name);
	r = commit(dir_fd, dir, pending, file, name);
	close(dir_fd);
	if (r && r != -ENOENT)
		return log_error(r, dir, "cannot save the map of %s: %s", name, strerror(-r));
	return r;
}

/*
 * Deletes file (what, of name, in a failure) from dir if it is there, the
 * deletion made to survive a power cut. -ENOENT, unlogged, without dir.
 */
static int delete_file(const char *dir, const char *file, const char *what, const char *name)
{
	int dir_fd, r = 0;

	dir_fd = open_dir(dir, false);
	if (dir_fd < 0)
		return dir_fd;
	if ((unlinkat(dir_fd, file, 0) && errno != ENOENT) || fsync(dir_fd))
		r = log_error(-errno, dir, "cannot delete %s of %s: %s", what, name, strerror(errno));
	close(dir_fd);
	return r;
}

int store_discard_pending(const char *dir, const char *name)
{
	char pending[FILE_NAME_MAX];

	pending_name(pending, name);
	return delete_file(dir, pending, "the pending map", name);
}

static void side_name(char name_out[FILE_NAME_MAX], const char *name, const char *suffix)
{
	snprintf(name_out, FILE_NAME_MAX, ".%s" SUFFIX "%s", name, suffix);
}

/* Text kept beside name's map in file, written the same atomic way. */
static int save_text(const char *dir, const char *name, const char *file, const char *text)
{
	char tmp[FILE_NAME_MAX];
	int dir_fd, r;

	dir_fd = open_dir(dir, true);
	if (dir_fd < 0)
		return dir_fd;
	r = write_temporary(dir_fd, file, text, tmp);
	if (!r) {
		r = commit(dir_fd, dir, tmp, file, name);
		if (r)
			unlinkat(dir_fd, tmp, 0);
	}
	close(dir_fd);
	if (r)
		return log_error(r, dir, "cannot save %s: %s", file, strerror(-r));
	return 0;
}

/* The text of file, NUL-terminated; -ENOENT unlogged when there is none. */
static int load_text(const char *dir, const char *file, char **text, size_t *len)
{
	char path[PATH_MAX];
	int fd, r;

	fd = open_file(dir, file, path);
	if (fd < 0)
		return fd;
	r = read_all(fd, text, len, path);
	close(fd);
	if (!r)
		(*text)[*len] = '\0';
	return r;
}

/* Deleting a file that is not there (or no directory) is no error. */
static int delete_text(const char *dir, const char *file, const char *what, const char *name)
{
	int r = delete_file(dir, file, what, name);

	return r == -ENOENT ? 0 : r;
}

int store_save_side(const char *dir, const char *name, const char *suffix, const char *text)
{
	char file[FILE_NAME_MAX];

	side_name(file, name, suffix);
	return save_text(dir, name, file, text);
}

int store_load_side(const char *dir, const char *name, const char *suffix, char **text)
{
	char file[FILE_NAME_MAX];
	size_t len;

	side_name(file, name, suffix);
	return load_text(dir, file, text, &len);
}

int store_delete_side(const char *dir, const char *name, const char *suffix)
{
	char file[FILE_NAME_MAX];

	side_name(file, name, suffix);
	return delete_text(dir, file, file, name);
}

int store_delete(const char *dir, const char *name)
{
	char file[FILE_NAME_MAX], pending[FILE_NAME_MAX], exports[FILE_NAME_MAX];
	int dir_fd, r = 0;

	dir_fd = open_dir(dir, false);
	if (dir_fd < 0)
		return dir_fd == -ENOENT ? log_error(-ENOENT, name, "no such combined device") : dir_fd;
	/*
	 * A pending map and saved exports first: they must not outlive their
	 * map and meet a new one of that name.
	 */
	pending_name(pending, name);
	file_name(file, name);
	exports_name(exports, name);
	if ((unlinkat(dir_fd, pending, 0) && errno != ENOENT) ||
	    (unlinkat(dir_fd, exports, 0) && errno != ENOENT) ||
	    unlinkat(dir_fd, file, 0) || fsync(dir_fd))
		r = -errno;
	/* A move's outcome nobody saw yet (remove refuses a move in progress). */
	side_name(pending, name, STORE_MOVED);
	if (!r && unlinkat(dir_fd, pending, 0) && errno != ENOENT)
		r = -errno;
	close(dir_fd);
	if (r)
		return log_error(r, dir, "cannot delete the map of %s: %s", name, strerror(-r));
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void store_list_free(char **names, size_t count)
{
	while (count)
		free(names[--count]);
	free(names);
}

int store_list(const char *dir, char ***names, size_t *count)
{
	size_t len, suffix_len = strlen(SUFFIX);
	struct dirent *entry;
	char **more;
	DIR *stream;
	int dir_fd;

	*names = NULL;
	*count = 0;
	dir_fd = open_dir(dir, false);
	if (dir_fd == -ENOENT)
		return 0;
	if (dir_fd < 0)
		return dir_fd;
	stream = fdopendir(dir_fd);
	if (!stream) {
		close(dir_fd);
		return log_error(-errno, dir, "%s", strerror(errno));
	}
	while ((entry = readdir(stream))) {
		len = strlen(entry->d_name);
		/* Temporary files start with '.', which no valid name does. */
		if (len <= suffix_len || strcmp(entry->d_name + len - suffix_len, SUFFIX))
			continue;
		entry->d_name[len - suffix_len] = '\0';
		if (!name_is_valid(entry->d_name))
			continue;
		more = realloc(*names, (*count + 1) * sizeof(**names));
		if (!more || !(more[*count] = strdup(entry->d_name))) {
			*names = more ? more : *names;
			closedir(stream);
			store_list_free(*names, *count);
			return log_error(-ENOMEM, dir, "%s", strerror(ENOMEM));
		}
		*names = more;
		(*count)++;
	}
	closedir(stream);
	qsort(*names, *count, sizeof(**names), compare_names);
	return 0;
}

int store_save_exports(const char *dir, const char *name, const char *text)
{
	char file[FILE_NAME_MAX];

	exports_name(file, name);
	return save_text(dir, name, file, text);
}

int store_load_exports(const char *dir, const char *name, char **text, size_t *len)
{
	char file[FILE_NAME_MAX];

	exports_name(file, name);
	return load_text(dir, file, text, len);
}

int store_delete_exports(const char *dir, const char *name)
{
	char file[FILE_NAME_MAX];

	exports_name(file, name);
	return delete_text(dir, file, "the saved exports", name);
}
