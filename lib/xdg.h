/*
 * xdg.h - XDG base directory resolution for hark's files.
 *
 * Relative values of XDG_* variables are ignored, as the specification
 * requires.  Paths returned are new strings (caller frees).
 */
#ifndef HARK_XDG_H
#define HARK_XDG_H

#include "hark.h"
#include "err.h"

enum hark_xdg_kind {
	HARK_XDG_CONFIG,	/* $XDG_CONFIG_HOME/hark or ~/.config/hark */
	HARK_XDG_STATE		/* $XDG_STATE_HOME/hark or ~/.local/state/hark */
};

/* "<base>/hark/NAME" (NAME may be NULL for the directory itself); NULL
 * when neither the XDG variable nor HOME is usable. */
char *hark_xdg_path(enum hark_xdg_kind kind, const char *name);

/* Create DIR and its parents with mode 0700 where missing. */
int hark_mkdir_p(const char *dir, struct hark_err *err);

/*
 * Write LEN bytes of DATA to PATH atomically: a temporary file in the same
 * directory, fsync, rename.  The file gets mode MODE.
 */
int hark_write_atomic(const char *path, const void *data, size_t len,
    int mode, struct hark_err *err);

#endif
