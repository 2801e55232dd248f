/* uiconfig: the explorer's settings file, ~/.config/fathom/config.yaml
 * ($XDG_CONFIG_HOME too), in dive's form:
 *   keybinding: { quit: ctrl+c, filter-files: "ctrl+f, ctrl+slash", ... }
 *   diff:       { hide: [added, removed, modified, unmodified] }
 *               (dive's "changed" and "unchanged" too)
 *   filetree:   { collapse-dir: false, pane-width: 0.5, show-attributes: true }
 *   layer:      { show-aggregated-changes: false }
 * Unknown keys are warnings. Never prints. */
#ifndef FATHOM_UICONFIG_H
#define FATHOM_UICONFIG_H

#include "config/ciconfig.h"
#include "tui/keys.h"

struct uiconfig {
	struct keymap keys;
	int hide[4];			/* unmodified, added, modified, removed */
	int collapse_dir;
	double pane_width;		/* the tree's share of the width, 0 < w < 1 */
	int show_attributes;
	int aggregate;
};

/* The defaults (dive's). */
void uiconfig_init(struct uiconfig *c);
/* The settings file's path (owned), whether it exists or not. */
char *uiconfig_path(void);
/* Reads path into c; a missing file is the defaults. Returns 0, or -1 with
 * *cause ("FILE:LINE: key: why", owned). Warnings go to *warn. */
int uiconfig_read(const char *path, struct uiconfig *c, struct ciconfig_warnings *warn,
                  char **cause);

#endif
