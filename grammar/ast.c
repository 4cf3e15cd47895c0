/* AST constructors used by the grammar actions. */
#include "ast.h"
#include <string.h>

struct wt_ast *wt_ast_new(struct wt_parse *p, enum wt_ast_kind kind, struct wt_loc loc)
{
	struct wt_ast *n = wt_arena_alloc(p->arena, sizeof *n);
	n->kind = kind;
	n->loc = loc;
	return n;
}

struct wt_ast *wt_ast_list_append(struct wt_parse *p, struct wt_ast *list, struct wt_ast *item)
{
	/* Arena memory cannot be realloc'd: grow by copying into a doubled array. */
	unsigned n = list->u.list.n;
	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		struct wt_ast **items = wt_arena_alloc(p->arena, sizeof(*items) * (n ? n * 2 : 4));
		if (n)
			memcpy(items, list->u.list.items, sizeof(*items) * n);
		list->u.list.items = items;
	}
	list->u.list.items[list->u.list.n++] = item;
	return list;
}

void wt_ast_add_decl(struct wt_parse *p, struct wt_decl *d)
{
	if (p->decls_tail)
		p->decls_tail->next = d;
	else
		p->decls = d;
	p->decls_tail = d;
}

struct wt_loc wt_loc_join(struct wt_loc a, struct wt_loc b)
{
	struct wt_loc r = a;
	if (b.line == a.line && b.end_col > a.end_col)
		r.end_col = b.end_col;
	return r;
}

const char *wt_cmp_name(enum wt_cmp op)
{
	static const char *const names[] = {"==", "!=", "<", "<=", ">", ">=", "startswith",
					    "endswith", "contains", "in", "not in", "regex", "glob"};
	return names[op];
}
