/* Grammar of .wt rule files. Actions only build the AST (ast.h); every check beyond the
 * syntax lives in the compiler passes. Syntax errors are reported with their span and the
 * parser resynchronizes at the next declaration, so one run reports every error. */
%code requires {
#include "ast.h"
#define WT_YYLTYPE struct wt_loc
#define WT_YYLTYPE_IS_DECLARED 1
}

%code {
#include <string.h>
int wt_yylex(WT_YYSTYPE *lval, WT_YYLTYPE *lloc, void *scanner);
static void wt_yyerror(WT_YYLTYPE *loc, struct wt_parse *p, void *scanner, const char *msg);

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                                                \
	do {                                                                                       \
		if (N) {                                                                           \
			(Cur) = YYRHSLOC(Rhs, 1);                                                  \
			(Cur) = wt_loc_join((Cur), YYRHSLOC(Rhs, N));                              \
		} else {                                                                           \
			(Cur) = YYRHSLOC(Rhs, 0);                                                  \
			(Cur).col = (Cur).end_col + 1;                                             \
			(Cur).end_col = (Cur).col;                                                 \
		}                                                                                  \
	} while (0)

static struct wt_ast *cmp(struct wt_parse *p, WT_YYLTYPE loc, enum wt_cmp op, bool nocase,
			  struct wt_ast *l, struct wt_ast *r)
{
	struct wt_ast *n = wt_ast_new(p, WT_AST_CMP, loc);
	n->u.cmp.op = op;
	n->u.cmp.nocase = nocase;
	n->u.cmp.l = l;
	n->u.cmp.r = r;
	return n;
}

static struct wt_ast *bin(struct wt_parse *p, WT_YYLTYPE loc, enum wt_ast_kind k, struct wt_ast *l,
			  struct wt_ast *r)
{
	struct wt_ast *n = wt_ast_new(p, k, loc);
	n->u.bin.l = l;
	n->u.bin.r = r;
	return n;
}

static struct wt_decl *decl(struct wt_parse *p, enum wt_decl_kind k, WT_YYLTYPE loc, char *name,
			    WT_YYLTYPE name_loc)
{
	struct wt_decl *d = wt_arena_alloc(p->arena, sizeof *d);
	d->kind = k;
	d->loc = loc;
	d->name = name;
	d->name_loc = name_loc;
	return d;
}

static struct wt_ast *str(struct wt_parse *p, WT_YYLTYPE loc, char *s, size_t len)
{
	struct wt_ast *n = wt_ast_new(p, WT_AST_STR, loc);
	n->u.str.s = s;
	n->u.str.len = len;
	return n;
}

static struct wt_ast *name(struct wt_parse *p, WT_YYLTYPE loc, char *s)
{
	struct wt_ast *n = wt_ast_new(p, WT_AST_NAME, loc);
	n->u.ref.name = s;
	return n;
}

/* A selected field: base[...]suffix resolves to the field named "base[]suffix". */
static struct wt_ast *selected(struct wt_parse *p, WT_YYLTYPE loc, const char *base, const char *suffix)
{
	size_t bl = strlen(base), sl = strlen(suffix);
	char *full = wt_arena_alloc(p->arena, bl + sl + 3);
	memcpy(full, base, bl);
	memcpy(full + bl, "[]", 2);
	memcpy(full + bl + 2, suffix, sl + 1);
	return name(p, loc, full);
}

static struct wt_step *step(struct wt_parse *p, WT_YYLTYPE loc, char *nm, WT_YYLTYPE name_loc,
			     struct wt_ast *kinds, struct wt_ast *when)
{
	struct wt_step *s = wt_arena_alloc(p->arena, sizeof *s);
	s->name = nm;
	s->loc = loc;
	s->name_loc = name_loc;
	s->kinds = kinds;
	s->when = when;
	return s;
}

static struct wt_rarity_decl *rarity_of(struct wt_parse *p, struct wt_decl *d)
{
	if (!d->rarity) {
		d->rarity = wt_arena_alloc(p->arena, sizeof *d->rarity);
		d->rarity->warmup_events = -1;
		d->rarity->warmup_ns = -1;
	}
	return d->rarity;
}

/* Record a section of a rarity body; a repeated one is reported by the checker. */
#define RARITY_SECTION(d, field, at)                                                                \
	struct wt_rarity_decl *r_ = rarity_of(p, (d));                                   \
	if (r_->field++ && !r_->dup_loc.line)                                                        \
		r_->dup_loc = (at)

static void warmup_count(struct wt_parse *p, struct wt_rarity_decl *r, int64_t n, char *unit, WT_YYLTYPE nloc,
			 WT_YYLTYPE uloc)
{
	(void)p;
	r->warmup_events = n;
	r->warmup_unit = unit;
	r->warmup_loc = nloc;
	r->warmup_unit_loc = uloc;
}

static struct wt_threshold *threshold(struct wt_parse *p, WT_YYLTYPE loc, char *nm)
{
	struct wt_threshold *t = wt_arena_alloc(p->arena, sizeof *t);
	t->name = nm;
	t->loc = loc;
	return t;
}

static struct wt_clause *clause(struct wt_parse *p, enum wt_clause_kind k, WT_YYLTYPE loc,
				struct wt_ast *v)
{
	struct wt_clause *c = wt_arena_alloc(p->arena, sizeof *c);
	c->kind = k;
	c->loc = loc;
	c->value = v;
	return c;
}
}

%define api.pure full
%define api.prefix {wt_yy}
%define parse.error verbose
%locations
%parse-param {struct wt_parse *p} {void *scanner}
%lex-param {void *scanner}
%initial-action { @$.file = p->file; @$.line = 1; @$.col = 1; @$.end_col = 1; }
%expect 0

%union {
	char *s;
	struct { char *s; size_t len; } str;
	int64_t i;
	struct { enum wt_cmp op; bool nocase; } cmp;
	struct wt_ast *ast;
	struct wt_decl *decl;
	struct wt_clause *clause;
	struct wt_step *step;
	struct wt_threshold *threshold;
	double d;
}

%token LIST "list" MACRO "macro" RULE "rule" ON "on" WHEN "when" EXCEPT "except"
%token SEVERITY "severity" MITRE "mitre" TAGS "tags" OUTPUT "output" DESC "desc" ENABLED "enabled"
%token AND "and" OR "or" NOT "not" IN "in" EXISTS "exists" TRUE_ "true" FALSE_ "false"
%token INCLUDE "include" APPEND "append" REPLACE "replace" OVERRIDE "override"
%token SCOPE "scope" OWNER "owner" REASON "reason" EXPIRES "expires"
%token PATH "path" WITHIN "within" BY "by" STEP "step" UNTIL "until" CAPTURE "capture" RUNS "runs" DISTINCT "distinct"
%token RARITY "rarity" KEY "key" POPULATION "population" RARE "rare" WARMUP "warmup" HALFLIFE "halflife"
%token NOTSTEP "not step"
%token <i> DURATION "duration"
%token <s> CAPREF "capture reference"
%token <s> DOTNAME "field suffix"
%token <cmp> STROP "string operator" RELOP "comparison operator"
%token <s> NAME "name"
%token <str> STRING "string"
%token <i> INT "integer"
%token <d> NUMBER "decimal number"

%type <ast> expr operand literal list list_items list_or_name names value
%type <decl> rule_body path_body rarity_body
%type <threshold> threshold thresholds
%type <ast> key_list
%type <clause> clause meta_clause except_clause
%type <step> step step_head

%left OR
%left AND
%precedence NOT

%%

file
	: %empty
	| file decl
	;

decl
	: LIST NAME '=' list ';'
		{ struct wt_decl *d = decl(p, WT_DECL_LIST, @1, $2, @2); d->value = $4; wt_ast_add_decl(p, d); }
	| MACRO NAME '=' expr ';'
		{ struct wt_decl *d = decl(p, WT_DECL_MACRO, @1, $2, @2); d->value = $4; wt_ast_add_decl(p, d); }
	| RULE NAME '{' rule_body '}'
		{ $4->loc = @1; $4->name = $2; $4->name_loc = @2; wt_ast_add_decl(p, $4); }
	| INCLUDE STRING ';'
		{ struct wt_decl *d = decl(p, WT_DECL_INCLUDE, @1, NULL, @2); d->value = str(p, @2, $2.s, $2.len); wt_ast_add_decl(p, d); }
	| APPEND LIST NAME '=' list ';'
		{ struct wt_decl *d = decl(p, WT_DECL_APPEND_LIST, @1, $3, @3); d->value = $5; wt_ast_add_decl(p, d); }
	| REPLACE MACRO NAME '=' expr ';'
		{ struct wt_decl *d = decl(p, WT_DECL_REPLACE_MACRO, @1, $3, @3); d->value = $5; wt_ast_add_decl(p, d); }
	| PATH NAME '{' path_body '}'
		{ $4->loc = @1; $4->name = $2; $4->name_loc = @2; wt_ast_add_decl(p, $4); }
	| RARITY NAME '{' rarity_body '}'
		{ $4->loc = @1; $4->name = $2; $4->name_loc = @2; rarity_of(p, $4); wt_ast_add_decl(p, $4); }
	| OVERRIDE RULE NAME '{' rule_body '}'
		{ $5->kind = WT_DECL_OVERRIDE_RULE; $5->loc = @1; $5->name = $3; $5->name_loc = @3; wt_ast_add_decl(p, $5); }
	| error ';'
	| error '}'
	;

rule_body
	: %empty                { $$ = decl(p, WT_DECL_RULE, @$, NULL, @$); }
	| rule_body clause
		{
			$$ = $1;
			if ($1->clauses_tail)
				$1->clauses_tail->next = $2;
			else
				$1->clauses = $2;
			$1->clauses_tail = $2;
		}
	;

path_body
	: %empty                { $$ = decl(p, WT_DECL_PATH, @$, NULL, @$); }
	| path_body meta_clause
		{
			$$ = $1;
			if ($1->clauses_tail)
				$1->clauses_tail->next = $2;
			else
				$1->clauses = $2;
			$1->clauses_tail = $2;
		}
	| path_body WITHIN DURATION BY NAME
		{
			$$ = $1;
			if ($1->within) {
				wt_diag_add(p->diags, WT_DIAG_E0206, @2, "path has 'within' twice");
			} else {
				$1->within = wt_ast_new(p, WT_AST_INT, @3);
				$1->within->u.i = $3;
				$1->by = name(p, @5, $5);
			}
		}
	| path_body step
		{
			$$ = $1;
			if ($1->steps_tail)
				$1->steps_tail->next = $2;
			else
				$1->steps = $2;
			$1->steps_tail = $2;
		}
	;

rarity_body
	: %empty                { $$ = decl(p, WT_DECL_RARITY, @$, NULL, @$); }
	| rarity_body clause
		{
			$$ = $1;
			if ($1->clauses_tail)
				$1->clauses_tail->next = $2;
			else
				$1->clauses = $2;
			$1->clauses_tail = $2;
		}
	| rarity_body KEY key_list
		{ $$ = $1; RARITY_SECTION($1, dup_key, @2); if (!r_->keys) { r_->keys = $3; r_->key_loc = @2; } }
	| rarity_body POPULATION NAME
		{ $$ = $1; RARITY_SECTION($1, dup_population, @2); if (!r_->population) r_->population = name(p, @3, $3); }
	| rarity_body RARE WHEN thresholds
		{ $$ = $1; RARITY_SECTION($1, dup_rare, @2); if (!r_->thresholds) { r_->thresholds = $4; r_->rare_loc = @2; } }
	| rarity_body WARMUP INT NAME
		{ $$ = $1; RARITY_SECTION($1, dup_warmup, @2); r_->has_warmup = true; warmup_count(p, r_, $3, $4, @3, @4); }
	| rarity_body WARMUP DURATION
		{ $$ = $1; RARITY_SECTION($1, dup_warmup, @2); r_->has_warmup = true; r_->warmup_ns = $3; r_->warmup_dur_loc = @3; }
	| rarity_body WARMUP INT NAME OR DURATION
		{ $$ = $1; RARITY_SECTION($1, dup_warmup, @2); r_->has_warmup = true; warmup_count(p, r_, $3, $4, @3, @4); r_->warmup_ns = $6; r_->warmup_dur_loc = @6; }
	| rarity_body WARMUP DURATION OR INT NAME
		{ $$ = $1; RARITY_SECTION($1, dup_warmup, @2); r_->has_warmup = true; r_->warmup_ns = $3; r_->warmup_dur_loc = @3; warmup_count(p, r_, $5, $6, @5, @6); }
	| rarity_body HALFLIFE DURATION
		{ $$ = $1; RARITY_SECTION($1, dup_halflife, @2); r_->has_halflife = true; r_->halflife = $3; r_->halflife_loc = @3; }
	;

key_list
	: operand               { $$ = wt_ast_list_append(p, wt_ast_new(p, WT_AST_LIST, @1), $1); }
	| key_list ',' operand  { $$ = wt_ast_list_append(p, $1, $3); $$->loc = wt_loc_join($1->loc, @3); }
	;

thresholds
	: threshold             { $$ = $1; }
	| thresholds AND threshold
		{ $$ = $1; struct wt_threshold *t = $1; while (t->next) t = t->next; t->next = $3; }
	;

threshold
	: NAME                  { $$ = threshold(p, @1, $1); }
	| NAME RELOP INT        { $$ = threshold(p, @$, $1); $$->op = $2.op; $$->has_value = true; $$->is_int = true; $$->value = (double)$3; }
	| NAME RELOP NUMBER     { $$ = threshold(p, @$, $1); $$->op = $2.op; $$->has_value = true; $$->value = $3; }
	;

step_head
	: STEP NAME ':' names WHEN expr
		{ $$ = step(p, @1, $2, @2, $4, $6); }
	| NOTSTEP NAME ':' names WHEN expr
		{ $$ = step(p, @1, $2, @2, $4, $6); $$->negative = true; }
	| UNTIL names WHEN expr
		{ $$ = step(p, @1, NULL, @1, $2, $4); $$->until = true; }
	;

step
	: step_head             { $$ = $1; }
	| step CAPTURE NAME '=' operand
		{
			$$ = $1;
			struct wt_capture_decl *c = wt_arena_alloc(p->arena, sizeof *c);
			c->name = $3;
			c->loc = @3;
			c->value = $5;
			if ($1->captures_tail)
				$1->captures_tail->next = c;
			else
				$1->captures = c;
			$1->captures_tail = c;
		}
	| step RUNS INT         { $$ = $1; $$->runs = $3; $$->runs_loc = @3; }
	| step RUNS INT DISTINCT operand
	                        { $$ = $1; $$->runs = $3; $$->runs_loc = @3; $$->distinct = $5; }
	;

clause
	: ON names              { $$ = clause(p, WT_CL_ON, @1, $2); }
	| WHEN expr             { $$ = clause(p, WT_CL_WHEN, @1, $2); }
	| meta_clause           { $$ = $1; }
	;

meta_clause
	: except_clause         { $$ = $1; }
	| SEVERITY NAME         { $$ = clause(p, WT_CL_SEVERITY, @1, wt_ast_new(p, WT_AST_NAME, @2)); $$->value->u.ref.name = $2; }
	| MITRE value           { $$ = clause(p, WT_CL_MITRE, @1, $2); }
	| TAGS list             { $$ = clause(p, WT_CL_TAGS, @1, $2); }
	| OUTPUT STRING         { $$ = clause(p, WT_CL_OUTPUT, @1, wt_ast_new(p, WT_AST_STR, @2)); $$->value->u.str.s = $2.s; $$->value->u.str.len = $2.len; }
	| DESC STRING           { $$ = clause(p, WT_CL_DESC, @1, wt_ast_new(p, WT_AST_STR, @2)); $$->value->u.str.s = $2.s; $$->value->u.str.len = $2.len; }
	| ENABLED TRUE_         { $$ = clause(p, WT_CL_ENABLED, @1, wt_ast_new(p, WT_AST_BOOL, @2)); $$->value->u.i = 1; }
	| ENABLED FALSE_        { $$ = clause(p, WT_CL_ENABLED, @1, wt_ast_new(p, WT_AST_BOOL, @2)); $$->value->u.i = 0; }
	;

except_clause
	: EXCEPT expr           { $$ = clause(p, WT_CL_EXCEPT, @1, $2); }
	| except_clause SCOPE NAME STRING
		{ $$ = $1; $$->meta.scope_kind = name(p, @3, $3); $$->meta.scope_value = str(p, @4, $4.s, $4.len); }
	| except_clause OWNER STRING   { $$ = $1; $$->meta.owner = str(p, @3, $3.s, $3.len); }
	| except_clause REASON STRING  { $$ = $1; $$->meta.reason = str(p, @3, $3.s, $3.len); }
	| except_clause EXPIRES STRING { $$ = $1; $$->meta.expires = str(p, @3, $3.s, $3.len); }
	;

names
	: NAME                  { struct wt_ast *n = wt_ast_new(p, WT_AST_NAME, @1); n->u.ref.name = $1;
	                          $$ = wt_ast_list_append(p, wt_ast_new(p, WT_AST_LIST, @1), n); }
	| names ',' NAME        { struct wt_ast *n = wt_ast_new(p, WT_AST_NAME, @3); n->u.ref.name = $3;
	                          $$ = wt_ast_list_append(p, $1, n); $$->loc = wt_loc_join($1->loc, @3); }
	;

value
	: literal               { $$ = $1; }
	| list                  { $$ = $1; }
	;

expr
	: expr OR expr          { $$ = bin(p, @$, WT_AST_OR, $1, $3); }
	| expr AND expr         { $$ = bin(p, @$, WT_AST_AND, $1, $3); }
	| NOT expr              { $$ = wt_ast_new(p, WT_AST_NOT, @$); $$->u.operand = $2; }
	| '(' expr ')'          { $$ = $2; }
	| operand               { $$ = $1; }
	| operand RELOP operand { $$ = cmp(p, @$, $2.op, false, $1, $3); }
	| operand STROP operand { $$ = cmp(p, @$, $2.op, $2.nocase, $1, $3); }
	| operand IN list_or_name
	                        { $$ = cmp(p, @$, WT_CMP_IN, false, $1, $3); }
	| operand NOT IN list_or_name
	                        { $$ = cmp(p, @$, WT_CMP_NOT_IN, false, $1, $4); }
	| operand EXISTS        { $$ = wt_ast_new(p, WT_AST_EXISTS, @$); $$->u.operand = $1; }
	;

operand
	: NAME                  { $$ = wt_ast_new(p, WT_AST_NAME, @1); $$->u.ref.name = $1; }
	| NAME '[' INT ']' DOTNAME
		{ $$ = selected(p, @$, $1, $5); $$->u.ref.sel = WT_SEL_INDEX; $$->u.ref.sel_index = $3; }
	| NAME '[' STRING ']' DOTNAME
		{ $$ = selected(p, @$, $1, $5); $$->u.ref.sel = WT_SEL_LABEL; $$->u.ref.sel_key = $3.s; $$->u.ref.sel_key_len = $3.len; }
	| NAME '[' STRING ']'
		{ $$ = selected(p, @$, $1, ""); $$->u.ref.sel = WT_SEL_LABEL; $$->u.ref.sel_key = $3.s; $$->u.ref.sel_key_len = $3.len; }
	| NAME '(' operand ')'  { $$ = wt_ast_new(p, WT_AST_CALL, @$); $$->u.call.fn = $1; $$->u.call.fn_loc = @1; $$->u.call.arg = $3; }
	| CAPREF                { $$ = wt_ast_new(p, WT_AST_CAPTURE, @1); $$->u.ref.name = $1; }
	| literal               { $$ = $1; }
	;

literal
	: STRING                { $$ = wt_ast_new(p, WT_AST_STR, @1); $$->u.str.s = $1.s; $$->u.str.len = $1.len; }
	| INT                   { $$ = wt_ast_new(p, WT_AST_INT, @1); $$->u.i = $1; }
	| TRUE_                 { $$ = wt_ast_new(p, WT_AST_BOOL, @1); $$->u.i = 1; }
	| FALSE_                { $$ = wt_ast_new(p, WT_AST_BOOL, @1); $$->u.i = 0; }
	;

list_or_name
	: list                  { $$ = $1; }
	| NAME                  { $$ = wt_ast_new(p, WT_AST_NAME, @1); $$->u.ref.name = $1; }
	;

list
	: '[' ']'               { $$ = wt_ast_new(p, WT_AST_LIST, @$); }
	| '[' list_items ']'    { $$ = $2; $$->loc = @$; }
	| '[' list_items ',' ']' { $$ = $2; $$->loc = @$; }
	;

list_items
	: literal               { $$ = wt_ast_list_append(p, wt_ast_new(p, WT_AST_LIST, @1), $1); }
	| NAME                  { struct wt_ast *n = wt_ast_new(p, WT_AST_NAME, @1); n->u.ref.name = $1;
	                          $$ = wt_ast_list_append(p, wt_ast_new(p, WT_AST_LIST, @1), n); }
	| list_items ',' literal { $$ = wt_ast_list_append(p, $1, $3); }
	| list_items ',' NAME   { struct wt_ast *n = wt_ast_new(p, WT_AST_NAME, @3); n->u.ref.name = $3;
	                          $$ = wt_ast_list_append(p, $1, n); }
	;

%%

static void wt_yyerror(WT_YYLTYPE *loc, struct wt_parse *p, void *scanner, const char *msg)
{
	(void)scanner;
	const char *m = strncmp(msg, "syntax error, ", 14) == 0 ? msg + 14 : msg;
	wt_diag_add(p->diags, WT_DIAG_E0001, *loc, "%s", m);
}
