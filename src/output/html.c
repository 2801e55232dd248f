/* html: the one-file HTML report; see html.h. */
#include "output/html.h"

#include <stdlib.h>
#include <string.h>

#include "image/links.h"
#include "image/stack.h"
#include "output/findings.h"
#include "util/jsonw.h"
#include "util/escape.h"
#include "util/human.h"
#include "util/xalloc.h"

#define HTML_LAYER_TOP 10	/* largest changes kept per layer */

/* the data object, then two arrays per level of the tree */
_Static_assert(2 * (HTML_TREEMAP_DEPTH + 2) + 2 <= JSONW_MAX_DEPTH,
               "the treemap's data nests deeper than jsonw can write");

/* Text for HTML: bytes that are not UTF-8 as \xHH, then & < > " ' as
 * entities. */
static void
html_text(FILE *out, const char *s, size_t len)
{
	char *e = escape_str(s, len, 1);

	for (const char *p = e; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*p, out);
		}
	}
	free(e);
}

static void
html_str(FILE *out, const char *s)
{
	html_text(out, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static void
html_size(FILE *out, uint64_t bytes)
{
	char h[32];

	human_dive_size(bytes, h, sizeof h);
	fputs(h, out);
}

/* The colour of layer k: hues a golden angle apart, all of one saturation;
 * the hidden part of a bar is grey (--hid), which no layer can be. */
static void
html_color(size_t k, char *buf, size_t len)
{
	snprintf(buf, len, "hsl(%.0f,55%%,52%%)", (double)((k * 137508) % 360000) / 1000.0);
}

static void
html_path(FILE *out, const struct image *img, uint32_t node)
{
	char *buf = NULL;
	size_t cap = 0, len = tree_path(&img->tree, node, &buf, &cap);

	html_text(out, buf, len);
	free(buf);
}

/* ------------------------------------------------------------ model */

/* What a layer changed, for its details. */
struct html_change {
	uint32_t node;
	uint64_t size;
	char status;
};

struct html_layer {
	size_t added, modified, removed;
	uint64_t hidden;	/* bytes it wrote that later layers hid */
	struct html_change top[HTML_LAYER_TOP];	/* largest first */
	size_t ntop;
};

static void
html_keep(struct html_layer *l, uint32_t node, uint64_t size, char status)
{
	size_t i = l->ntop;

	if (i == HTML_LAYER_TOP && l->top[i - 1].size >= size)
		return;
	if (i < HTML_LAYER_TOP)
		l->ntop++;
	else
		i--;
	while (i > 0 && l->top[i - 1].size < size) {
		l->top[i] = l->top[i - 1];
		i--;
	}
	l->top[i] = (struct html_change){ node, size, status };
}

static struct html_layer *
html_layers(const struct image *img, const struct waste *w)
{
	struct html_layer *ls = xcalloc(img->nlayers ? img->nlayers : 1, sizeof *ls);

	struct links *below = NULL;

	for (size_t k = 0; k < img->nlayers; k++) {
		const struct layer *l = &img->layers[k];
		struct links *now = links_new(img, k);
		for (size_t v = l->vfirst; v < l->vend; v++) {
			if (img->versions[v].flags & (VERSION_DEAD | VERSION_IMPLICIT))
				continue;
			char st = stack_status(img, (uint32_t)v);
			/* as the listing has it (a removed path as it was) */
			const struct entry *e = links_entry(st == 'R' ? below : now,
			                                    img->versions[v].node, NULL);
			if (st == 'A')
				ls[k].added++;
			else if (st == 'M')
				ls[k].modified++;
			else if (st == 'R')
				ls[k].removed++;
			else
				continue;
			if (e != NULL && e->type == ENTRY_FILE)
				html_keep(&ls[k], img->versions[v].node, e->size, st);
		}
		links_free(below);
		below = now;
	}
	links_free(below);
	for (size_t i = 0; i < w->nwrites; i++)
		if (w->writes[i].layer < img->nlayers)
			ls[w->writes[i].layer].hidden += w->writes[i].bytes;
	return ls;
}

/* The final filesystem by directory, as `fathom files` lists it: sizes
 * (regular files; a group of hard links once, at the path listed as the
 * file) and the layer that wrote each node's largest file. */
struct html_tree {
	const struct image *img;
	uint64_t *size;
	uint64_t *big;		/* the largest file at or below */
	uint16_t *layer;	/* its layer */
	uint64_t floor;		/* smaller nodes are aggregated */
	size_t left;		/* nodes that may still be written */
};

static void
html_tree_init(struct html_tree *t, const struct image *img)
{
	size_t n = img->tree.count ? img->tree.count : 1, top = img->nlayers - 1;

	t->img = img;
	t->size = xcalloc(n, sizeof *t->size);
	t->big = xcalloc(n, sizeof *t->big);
	t->layer = xcalloc(n, sizeof *t->layer);
	struct links *lk = links_new(img, top);
	/* a node comes after its parent */
	for (size_t i = img->tree.count; i-- > 1;) {
		const struct entry *e = links_entry(lk, (uint32_t)i, NULL);
		if (e == NULL)
			continue;
		if (e->type == ENTRY_FILE) {
			t->size[i] += e->size;
			if (e->size >= t->big[i]) {
				t->big[i] = e->size;
				t->layer[i] = (uint16_t)stack_entry_layer(img, (uint32_t)(e - img->entries));
			}
		}
		uint32_t p = img->tree.nodes[i].parent;
		t->size[p] += t->size[i];
		if (t->big[i] > t->big[p] || (t->big[p] == 0 && t->size[i] > 0)) {
			t->big[p] = t->big[i];
			t->layer[p] = t->layer[i];
		}
	}
	links_free(lk);
	t->floor = t->size[TREE_ROOT] / HTML_TREEMAP_SHARE;
	t->left = HTML_TREEMAP_NODES;
}

static void
html_tree_fini(struct html_tree *t)
{
	free(t->size);
	free(t->big);
	free(t->layer);
}

static const uint64_t *html_sort_sizes;

static int
html_by_size(const void *x, const void *y)
{
	uint64_t a = html_sort_sizes[*(const uint32_t *)x], b = html_sort_sizes[*(const uint32_t *)y];

	return a > b ? -1 : a < b ? 1 : 0;
}

/* node as [name, bytes, layer, children or null]; an aggregate of smaller
 * siblings is [label, bytes, layer, null, count]. */
static void
html_tree_json(struct jsonw *j, struct html_tree *t, uint32_t node, size_t depth)
{
	const struct tree *tr = &t->img->tree;
	size_t len, n = 0, cap = 0;
	const char *name = node == TREE_ROOT ? "/" : tree_name(tr, node, &len);
	uint32_t *kids = NULL;

	if (t->left > 0)
		t->left--;
	jsonw_array(j);
	jsonw_string(j, name, node == TREE_ROOT ? 1 : len);
	jsonw_uint(j, t->size[node]);
	jsonw_uint(j, t->layer[node]);
	for (uint32_t c = tr->nodes[node].child; c != TREE_NONE && depth < HTML_TREEMAP_DEPTH;
	     c = tr->nodes[c].sibling) {
		if (t->size[c] == 0)
			continue;
		ARRAY_RESERVE(kids, n, cap);
		kids[n++] = c;
	}
	if (n == 0) {
		jsonw_null(j);
		jsonw_end(j);
		free(kids);
		return;
	}
	html_sort_sizes = t->size;
	qsort(kids, n, sizeof *kids, html_by_size);
	jsonw_array(j);
	size_t i;
	for (i = 0; i < n && i < HTML_TREEMAP_CHILDREN && t->size[kids[i]] >= t->floor &&
	            t->left > 1; i++)
		html_tree_json(j, t, kids[i], depth + 1);
	if (i < n) {
		uint64_t rest = 0, big = 0;
		uint16_t layer = 0;
		for (size_t k = i; k < n; k++) {
			rest += t->size[kids[k]];
			if (t->big[kids[k]] >= big) {
				big = t->big[kids[k]];
				layer = t->layer[kids[k]];
			}
		}
		char label[64];
		snprintf(label, sizeof label, "(%zu smaller)", n - i);
		jsonw_array(j);
		jsonw_cstring(j, label);
		jsonw_uint(j, rest);
		jsonw_uint(j, layer);
		jsonw_null(j);
		jsonw_uint(j, n - i);
		jsonw_end(j);
	}
	jsonw_end(j);
	jsonw_end(j);
	free(kids);
}

/* The data the script draws from, as JSON inside the page: every "<" (in
 * strings only) as \u003c, so that nothing in it ends the script. */
static void
html_data(FILE *out, const struct report *r, const struct html_layer *ls)
{
	const struct image *img = r->img;
	char *buf = NULL, color[40];
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct jsonw j;
	struct html_tree t;

	if (m == NULL)
		xalloc_die();
	jsonw_init(&j, m, 0);
	jsonw_object(&j);
	jsonw_member_array(&j, "layers");
	for (size_t k = 0; k < img->nlayers; k++) {
		const struct history *h = image_history_of(img, k);
		jsonw_object(&j);
		jsonw_member_uint(&j, "size", img->blobs[img->layers[k].blob].size);
		jsonw_member_uint(&j, "hidden", ls[k].hidden);
		jsonw_member_cstring(&j, "command", h != NULL ? image_history_command(h) : "");
		jsonw_member_uint(&j, "added", ls[k].added);
		jsonw_member_uint(&j, "modified", ls[k].modified);
		jsonw_member_uint(&j, "removed", ls[k].removed);
		jsonw_key(&j, "color");
		html_color(k, color, sizeof color);
		jsonw_cstring(&j, color);
		jsonw_member_array(&j, "largest");
		for (size_t i = 0; i < ls[k].ntop; i++) {
			char *p = NULL;
			size_t cap = 0, plen = tree_path(&img->tree, ls[k].top[i].node, &p, &cap);
			jsonw_array(&j);
			jsonw_string(&j, p, plen);
			jsonw_uint(&j, ls[k].top[i].size);
			jsonw_string(&j, &ls[k].top[i].status, 1);
			jsonw_end(&j);
			free(p);
		}
		jsonw_end(&j);
		jsonw_end(&j);
	}
	jsonw_end(&j);
	jsonw_key(&j, "tree");
	html_tree_init(&t, img);
	html_tree_json(&j, &t, TREE_ROOT, 0);
	html_tree_fini(&t);
	jsonw_end(&j);
	fclose(m);
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '<')
			fputs("\\u003c", out);
		else
			fputc(buf[i], out);
	}
	free(buf);
}

/* ----------------------------------------------------------- static */

static const char html_css[] =
	":root{--bg:#fff;--fg:#1d2330;--mute:#5b6475;--line:#d8dce4;--card:#f5f6f9;"
	"--hid:#4d5360;--ok:#2e7d32;--bad:#c62828;--warn:#b26a00;--focus:#1565c0}"
	"@media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e3e6ec;--mute:#9aa3b2;"
	"--line:#2c323c;--card:#1c2028;--hid:#b4bac6;--ok:#66bb6a;--bad:#ef5350;--warn:#ffb74d;"
	"--focus:#64b5f6}}"
	"*{box-sizing:border-box}body{margin:0 auto;max-width:1040px;padding:16px 20px 48px;"
	"background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,'Segoe UI',"
	"sans-serif}h1{font-size:22px;margin:8px 0 4px;word-break:break-all}"
	"h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}"
	"dl.summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:6px 16px;"
	"margin:12px 0}dl.summary div{background:var(--card);padding:6px 10px;border-radius:6px}"
	"dt{color:var(--mute);font-size:12px}dd{margin:0;font-weight:600;word-break:break-all}"
	"table{border-collapse:collapse;width:100%;margin:6px 0}th,td{text-align:left;padding:4px 8px;"
	"border-bottom:1px solid var(--line);vertical-align:top}td.n,th.n{text-align:right;"
	"white-space:nowrap}td.p{word-break:break-all;font-family:ui-monospace,monospace;font-size:13px}"
	"th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;"
	"cursor:pointer}.PASS{color:var(--ok)}.FAIL{color:var(--bad)}.WARN{color:var(--warn)}"
	".SKIP{color:var(--mute)}.verdict{font-size:16px;font-weight:700}"
	"svg text{fill:var(--fg);font-size:12px}svg .layer{cursor:pointer}"
	"svg .layer:focus,svg .cell:focus{outline:none}svg .layer:focus rect.bar,"
	"svg .cell:focus>rect{stroke:var(--focus);stroke-width:3}"
	"svg rect.hid{fill:var(--hid)}"
	"#treemap{width:100%;height:auto;background:var(--card);border-radius:6px}"
	"#treemap .cell rect{stroke:var(--bg);stroke-width:1}#treemap .cell text{fill:#111;"
	"pointer-events:none;font-size:11px}#treemap .cell{cursor:pointer}"
	"#treemap .cell.open>text{fill:var(--fg);font-weight:600}"
	"#crumbs button{font:inherit;background:var(--card);color:var(--fg);border:1px solid "
	"var(--line);border-radius:4px;margin:0 4px 6px 0;padding:2px 8px;cursor:pointer}"
	"#tip{min-height:1.5em;color:var(--mute);font-family:ui-monospace,monospace;font-size:13px;"
	"word-break:break-all}#layer-detail{background:var(--card);border-radius:6px;padding:8px 12px;"
	"margin-top:8px}.legend span{display:inline-block;width:12px;height:12px;border-radius:2px;"
	"vertical-align:-2px;margin:0 4px 0 10px}.mute{color:var(--mute)}"
	"button:focus-visible{outline:2px solid var(--focus)}";

static const char html_js[] =
	"(function(){'use strict';\n"
	"var D=JSON.parse(document.getElementById('data').textContent);\n"
	"function fmt(b){var u=['B','kB','MB','GB','TB','PB'],i=0;if(b<10)return b+' B';"
	"while(b>=1000&&i<u.length-1){b/=1000;i++;}var v=Math.round(b*10)/10;"
	"return (v<10?v.toFixed(1):Math.round(v))+' '+u[i];}\n"
	"function el(n,a,t){var e=document.createElementNS('http://www.w3.org/2000/svg',n);"
	"for(var k in a)e.setAttribute(k,a[k]);if(t!==undefined)e.textContent=t;return e;}\n"
	"function h(n,t){var e=document.createElement(n);if(t!==undefined)e.textContent=t;return e;}\n"
	/* layers: a click or Enter shows what the layer changed */
	"var det=document.getElementById('layer-detail');\n"
	"function showLayer(i){var L=D.layers[i];det.textContent='';"
	"det.appendChild(h('strong','Layer '+i+': '+fmt(L.size)+(L.hidden?', '+fmt(L.hidden)+"
	"' hidden by later layers':'')));"
	"det.appendChild(h('div',L.added+' added, '+L.modified+' modified, '+L.removed+' removed'));"
	"var c=h('div',L.command||'');c.className='p mute';det.appendChild(c);"
	"if(L.largest.length){var t=h('table'),r=h('tr');['','Size','Path'].forEach(function(x,k){"
	"var th=h('th',x);if(k==1)th.className='n';r.appendChild(th);});t.appendChild(r);"
	"L.largest.forEach(function(p){var tr=h('tr');var a=h('td',p[2]);var b=h('td',fmt(p[1]));"
	"b.className='n';var d=h('td',p[0]);d.className='p';tr.appendChild(a);tr.appendChild(b);"
	"tr.appendChild(d);t.appendChild(tr);});det.appendChild(t);}"
	"det.hidden=false;det.setAttribute('data-layer',i);}\n"
	"Array.prototype.forEach.call(document.querySelectorAll('#layer-bars .layer'),function(g){"
	"var i=+g.getAttribute('data-layer');g.addEventListener('click',function(){showLayer(i);});"
	"g.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){"
	"e.preventDefault();showLayer(i);}});});\n"
	/* treemap: squarified and nested (a directory with room draws its
	 * entries inside it, below its name, LEVELS deep); a click or Enter
	 * zooms into a directory, or into the one holding a file */
	"var svg=document.getElementById('treemap'),crumbs=document.getElementById('crumbs'),"
	"tip=document.getElementById('tip'),W=960,H=540,path=[D.tree],LEVELS=3,HEAD=16,PAD=3;\n"
	"function worst(row,sum,s){var mx=0,mn=Infinity;row.forEach(function(it){"
	"mx=Math.max(mx,it.a);mn=Math.min(mn,it.a);});var s2=sum*sum,l2=s*s;"
	"return Math.max(l2*mx/s2,s2/(l2*mn));}\n"
	"function squarify(kids,x,y,w,hh){var tot=0,out=[];kids.forEach(function(k){tot+=k[1];});"
	"if(!tot)return out;var sc=w*hh/tot,items=kids.map(function(k){return{k:k,a:k[1]*sc};}),i=0;"
	"while(i<items.length){var s=Math.min(w,hh),row=[items[i]],sum=items[i].a,"
	"wr=worst(row,sum,s);i++;while(i<items.length){var r2=row.concat([items[i]]),"
	"s2=sum+items[i].a,w2=worst(r2,s2,s);if(w2>wr)break;row=r2;sum=s2;wr=w2;i++;}"
	"var th=sum/s;if(w>=hh){var yy=y;row.forEach(function(it){var q=it.a/th;"
	"out.push({k:it.k,x:x,y:yy,w:th,h:q});yy+=q;});x+=th;w-=th;}else{var xx=x;"
	"row.forEach(function(it){var q=it.a/th;out.push({k:it.k,x:xx,y:y,w:q,h:th});xx+=q;});"
	"y+=th;hh-=th;}}return out;}\n"
	"function full(chain){return '/'+path.slice(1).concat(chain).map(function(n){"
	"return n[0];}).join('/');}\n"
	"function isdir(k){return !!(k[3]&&k[3].length);}\n"
	"function say(chain){var k=chain[chain.length-1];tip.textContent=full(chain)+'  '+"
	"fmt(k[1])+'  layer '+k[2]+(k[4]?'  ('+k[4]+' entries aggregated)':"
	"(isdir(k)?'  directory: click to zoom in':''));}\n"
	"function zoom(chain){var n=chain.length;while(n&&!isdir(chain[n-1]))n--;"
	"if(n){path=path.concat(chain.slice(0,n));draw(true);}}\n"
	"function up(n){if(path.length>n){path.length=n;draw(true);}}\n"
	/* nested cells smaller than 4 px a side are left to their parent's colour */
	"function layout(parent,node,chain,x,y,w,hh,depth){"
	"squarify((node[3]||[]).filter(function(k){return k[1]>0;}),x,y,w,hh).forEach(function(c){"
	"if(!depth||(c.w>=4&&c.h>=4))cell(parent,c,chain.concat([c.k]),depth);});}\n"
	"function cell(parent,c,chain,depth){var k=c.k,p=full(chain),"
	"inner=depth<LEVELS-1&&isdir(k)&&c.w>=3*HEAD&&c.h>=3*HEAD,"
	"g=el('g',{'class':'cell'+(isdir(k)?' dir':'')+(inner?' open':''),tabindex:depth?'-1':'0',"
	"role:'button','data-path':p,'data-depth':depth,'aria-label':p+', '+fmt(k[1])+', layer '+"
	"k[2]});"
	"g.appendChild(el('rect',{x:c.x,y:c.y,width:Math.max(c.w,0),height:Math.max(c.h,0),"
	"fill:(D.layers[k[2]]||{color:'#888'}).color,'fill-opacity':k[4]?0.45:inner?0.5:0.9}));"
	"if(c.w>40&&c.h>14)g.appendChild(el('text',{x:c.x+4,y:c.y+12},"
	"k[0].slice(0,Math.floor((c.w-6)/7))));"
	"g.appendChild(el('title',{},p+' '+fmt(k[1])+' (layer '+k[2]+')'));"
	"g.addEventListener('click',function(e){e.stopPropagation();zoom(chain);});"
	"g.addEventListener('mousemove',function(e){e.stopPropagation();say(chain);});"
	"g.addEventListener('focus',function(){say(chain);});"
	"g.addEventListener('keydown',function(e){e.stopPropagation();"
	"if(e.key==='Enter'||e.key===' '){e.preventDefault();zoom(chain);}"
	"else if(e.key==='Backspace'||e.key==='Escape'){e.preventDefault();up(path.length-1);}});"
	"parent.appendChild(g);"
	"if(inner)layout(g,k,chain,c.x+PAD,c.y+HEAD,c.w-2*PAD,c.h-HEAD-PAD,depth+1);}\n"
	"function draw(focus){while(svg.firstChild)svg.removeChild(svg.firstChild);"
	"layout(svg,path[path.length-1],[],0,0,W,H,0);"
	"crumbs.textContent='';path.forEach(function(n,i){var b=h('button',i?n[0]:'/ (all, '+"
	"fmt(D.tree[1])+')');b.type='button';b.addEventListener('click',function(){up(i+1);});"
	"crumbs.appendChild(b);});svg.setAttribute('data-zoom',full([]));"
	"if(focus&&svg.firstChild)svg.firstChild.focus();}\n"
	"draw(false);\n"
	/* tables: sort by a column */
	"Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(t){"
	"Array.prototype.forEach.call(t.querySelectorAll('th button'),function(b,col){"
	"b.addEventListener('click',function(){var rows=Array.prototype.slice.call("
	"t.querySelectorAll('tbody tr')),dir=b.getAttribute('data-dir')==='desc'?1:-1;"
	"rows.sort(function(p,q){var a=p.children[col].getAttribute('data-v'),"
	"c=q.children[col].getAttribute('data-v');var x=+a,y=+c;"
	"var r=(isNaN(x)||isNaN(y))?String(a).localeCompare(String(c)):x-y;return dir*r;});"
	"rows.forEach(function(r){r.parentNode.appendChild(r);});"
	"b.setAttribute('data-dir',dir===1?'asc':'desc');});});});\n"
	"document.documentElement.setAttribute('data-ready','1');\n"
	"})();\n";

static void
html_item(FILE *out, const char *id, const char *label)
{
	fprintf(out, "<div><dt>%s</dt><dd id=\"%s\"", label, id);
}

/* A figure in bytes: exact in data-value, human in the text (with a
 * suffix, or ""). */
static void
html_item_size(FILE *out, const char *id, const char *label, uint64_t bytes, const char *suffix)
{
	html_item(out, id, label);
	fprintf(out, " data-value=\"%llu\">", (unsigned long long)bytes);
	html_size(out, bytes);
	fprintf(out, "%s</dd></div>\n", suffix);
}

/* A ratio: exact in data-value (as the CI report writes it), in percent in
 * the text. */
static void
html_item_ratio(FILE *out, const char *id, const char *label, double ratio)
{
	char v[64];

	human_double(ratio, v, sizeof v);
	html_item(out, id, label);
	fprintf(out, " data-value=\"%s\">%.4f %%</dd></div>\n", v, ratio * 100);
}

static void
html_header(FILE *out, const struct report *r)
{
	const struct image *img = r->img;
	const struct waste *w = r->waste;
	char pct[32];
	size_t files = 0;

	for (uint32_t n = 1; n < img->tree.count; n++) {
		const struct entry *e = stack_entry_at(img, n, img->nlayers - 1);
		if (e != NULL && e->type != ENTRY_DIR)
			files++;
	}
	fputs("<header><h1>", out);
	html_str(out, img->ref != NULL ? img->ref : img->name);
	fputs("</h1><div class=\"mute\">", out);
	html_str(out, img->name);
	fputs(" · fathom report</div>\n<dl class=\"summary\">\n", out);
	html_item(out, "digest", "Image ID");
	fputs(">", out);
	html_str(out, img->id != NULL ? img->id : "unknown");
	fputs("</dd></div>\n", out);
	html_item(out, "platform", "Platform");
	fprintf(out, ">%s/%s%s", img->os ? img->os : "?", img->arch ? img->arch : "?",
	        img->variant ? "/" : "");
	html_str(out, img->variant);
	fputs("</dd></div>\n", out);
	html_item_size(out, "size", "Total size", w->image_size, "");
	html_item(out, "layers", "Layers");
	fprintf(out, " data-value=\"%zu\">%zu</dd></div>\n", img->nlayers, img->nlayers);
	html_item(out, "files", "Files (not directories)");
	fprintf(out, " data-value=\"%zu\">%zu</dd></div>\n", files, files);
	html_item_ratio(out, "efficiency", "Efficiency (dive)", w->efficiency);
	html_item_size(out, "wasted", "Wasted bytes (dive)", w->wasted_bytes, "");
	html_item_ratio(out, "user-wasted", "userWastedPercent (dive)", w->user_wasted_percent);
	snprintf(pct, sizeof pct, " (%.2f %%)", w->reclaimable_percent * 100);
	html_item_size(out, "reclaimable", "Reclaimable by squashing", w->reclaimable, pct);
	fputs("</dl></header>\n", out);
}

static void
html_rules(FILE *out, const struct report *r)
{
	if (r->rules == NULL)
		return;
	char *verdict = report_verdict(r);
	fprintf(out, "<section id=\"rules\"><h2>CI rules</h2><p class=\"verdict %.4s\" "
	        "id=\"verdict\">", verdict);
	html_str(out, verdict);
	fputs("</p><table><thead><tr><th>Result</th><th>Rule</th><th>Value</th><th>Setting</th>"
	      "</tr></thead><tbody>\n", out);
	for (int i = 0; i < RULE_COUNT; i++) {
		const struct rule_result *x = &r->results[i];
		const char *st = report_status_names[x->status];
		fprintf(out, "<tr data-rule=\"%s\"><td class=\"%s\">%s</td><td>%s</td><td>",
		        rule_defs[i].name, st, st, rule_defs[i].name);
		char *c = report_comparison(r, i);
		html_str(out, c);
		free(c);
		fputs("</td><td>", out);
		html_str(out, r->rules->set[i].value);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
	free(verdict);
}

static void
html_layer_section(FILE *out, const struct report *r, const struct html_layer *ls)
{
	const struct image *img = r->img;
	uint64_t max = 1;
	char color[40];

	for (size_t k = 0; k < img->nlayers; k++)
		if (img->blobs[img->layers[k].blob].size > max)
			max = img->blobs[img->layers[k].blob].size;
	fputs("<section id=\"layer-section\"><h2>Layers</h2>\n<p class=\"legend mute\">Bar: the "
	      "layer's bytes;<span style=\"background:var(--hid)\"></span>the part later layers "
	      "deleted or overwrote (still shipped). Select a layer for what it changed.</p>\n", out);
	fprintf(out, "<svg id=\"layer-bars\" viewBox=\"0 0 960 %zu\" width=\"100%%\" role=\"list\" "
	        "aria-label=\"layers\">\n", img->nlayers * 24 + 4);
	for (size_t k = 0; k < img->nlayers; k++) {
		uint64_t size = img->blobs[img->layers[k].blob].size;
		double wbar = 620.0 * (double)size / (double)max, whid = 620.0 *
		              (double)(ls[k].hidden > size ? size : ls[k].hidden) / (double)max;
		const struct history *h = image_history_of(img, k);
		html_color(k, color, sizeof color);
		fprintf(out, "<g class=\"layer\" data-layer=\"%zu\" tabindex=\"0\" role=\"listitem\" "
		        "aria-label=\"layer %zu, ", k, k);
		html_size(out, size);
		fprintf(out, "\"><title>layer %zu: ", k);
		html_str(out, h != NULL ? image_history_command(h) : "");
		fprintf(out, "</title><text x=\"0\" y=\"%zu\">#%zu</text>"
		        "<rect class=\"bar\" x=\"44\" y=\"%zu\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>",
		        k * 24 + 16, k, k * 24 + 3, wbar < 1 ? 1 : wbar, color);
		if (whid > 0)
			fprintf(out, "<rect class=\"hid\" x=\"%.1f\" y=\"%zu\" width=\"%.1f\" height=\"18\"/>",
			        44 + wbar - whid, k * 24 + 3, whid < 1 ? 1 : whid);
		fprintf(out, "<text x=\"672\" y=\"%zu\">", k * 24 + 16);
		html_size(out, size);
		if (ls[k].hidden > 0) {
			fputs(" (", out);
			html_size(out, ls[k].hidden);
			fputs(" hidden)", out);
		}
		fputs("</text></g>\n", out);
	}
	fputs("</svg>\n<div id=\"layer-detail\" hidden></div>\n", out);
	fputs("<table id=\"layer-table\"><thead><tr><th class=\"n\">#</th><th class=\"n\">Size</th>"
	      "<th class=\"n\">Hidden later</th><th class=\"n\">Added</th><th class=\"n\">Modified"
	      "</th><th class=\"n\">Removed</th><th>Command</th></tr></thead><tbody>\n", out);
	for (size_t k = 0; k < img->nlayers; k++) {
		const struct history *h = image_history_of(img, k);
		uint64_t size = img->blobs[img->layers[k].blob].size;
		fprintf(out, "<tr data-layer=\"%zu\"><td class=\"n\">%zu</td><td class=\"n\" "
		        "data-v=\"%llu\">", k, k, (unsigned long long)size);
		html_size(out, size);
		fprintf(out, "</td><td class=\"n\" data-v=\"%llu\">", (unsigned long long)ls[k].hidden);
		html_size(out, ls[k].hidden);
		fprintf(out, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu"
		        "</td><td class=\"p\">", ls[k].added, ls[k].modified, ls[k].removed);
		html_str(out, h != NULL ? image_history_command(h) : "");
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
}

static void
html_tables(FILE *out, const struct report *r)
{
	const struct image *img = r->img;
	const struct waste *w = r->waste;
	const struct advice *a = r->advice;

	fputs("<section id=\"treemap-section\"><h2>Where the bytes are</h2>\n<p class=\"mute\">The "
	      "final filesystem: area is bytes, colour the layer that wrote the largest file below. "
	      "A directory with room shows its largest entries inside it, below its name, three "
	      "levels deep. Select a directory (or a file in it) to zoom in; the buttons zoom out "
	      "(Escape too).</p>\n"
	      "<nav id=\"crumbs\" aria-label=\"zoom\"></nav>\n<svg id=\"treemap\" viewBox=\"0 0 960 "
	      "540\" role=\"group\" aria-label=\"treemap of the filesystem\"></svg>\n"
	      "<div id=\"tip\" aria-live=\"polite\"></div>\n<noscript><p>The treemap needs "
	      "JavaScript; the tables hold the figures.</p></noscript></section>\n", out);

	fprintf(out, "<section id=\"inefficient-section\"><h2>Inefficient files</h2>\n<p "
	        "class=\"mute\">Paths that more than one layer wrote (dive's list), %zu in all.</p>\n"
	        "<table id=\"inefficient\" class=\"sortable\"><thead><tr><th class=\"n\"><button "
	        "type=\"button\">Count</button></th><th class=\"n\"><button type=\"button\">Total "
	        "space</button></th><th><button type=\"button\">Path</button></th></tr></thead>"
	        "<tbody>\n", w->nfiles);
	for (size_t i = 0; i < w->nfiles && i < r->top; i++) {
		const struct waste_file *f = &w->files[i];
		fprintf(out, "<tr><td class=\"n\" data-v=\"%u\">%u</td><td class=\"n\" data-v=\"%llu\">",
		        f->count, f->count, (unsigned long long)f->cumulative);
		html_size(out, f->cumulative);
		fputs("</td><td class=\"p\" data-v=\"", out);
		html_path(out, img, f->node);
		fputs("\">", out);
		html_path(out, img, f->node);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);

	fputs("<section id=\"advice-section\"><h2>Advice</h2>\n", out);
	if (a == NULL || a->count == 0)
		fputs("<p>No findings.</p>\n", out);
	else {
		fputs("<table id=\"advice\" class=\"sortable\"><thead><tr><th><button type=\"button\">"
		      "Finding</button></th><th class=\"n\"><button type=\"button\">Saves</button></th>"
		      "<th>Where</th><th>What to do</th></tr></thead><tbody>\n", out);
		for (size_t i = 0; i < a->count; i++) {
			const struct advice_finding *f = &a->items[i];
			char *where = findings_where(f);
			fprintf(out, "<tr data-finding=\"%s\"><td data-v=\"%s\">%s</td><td class=\"n\" "
			        "data-v=\"%llu\">", advice_defs[f->id].name, advice_defs[f->id].name,
			        advice_defs[f->id].name, (unsigned long long)f->bytes);
			if (f->bytes > 0)
				html_size(out, f->bytes);
			else
				fputs("-", out);
			fputs("</td><td>", out);
			html_str(out, where);
			fputs("</td><td>", out);
			html_str(out, advice_defs[f->id].text);
			fputs("</td></tr>\n", out);
			free(where);
		}
		fputs("</tbody></table>\n", out);
	}
	fputs("</section>\n<section id=\"onbuild-section\"><h2>ONBUILD triggers</h2>\n", out);
	size_t shown = 0;
	for (size_t i = 0; a != NULL && i < a->count; i++) {
		const struct advice_finding *f = &a->items[i];
		if (f->id != ADVICE_ONBUILD)
			continue;
		fputs("<p>They run inside the build of every image made FROM this one.</p><table "
		      "id=\"onbuild\"><thead><tr><th>Severity</th><th>Trigger</th></tr></thead>"
		      "<tbody>\n", out);
		for (size_t t = 0; t < f->ntriggers; t++, shown++) {
			fprintf(out, "<tr><td class=\"%s\">%s</td><td class=\"p\">",
			        f->trigger_high[t] ? "FAIL" : "WARN", f->trigger_high[t] ? "high" : "low");
			html_str(out, f->triggers[t]);
			fputs("</td></tr>\n", out);
		}
		fputs("</tbody></table>\n", out);
	}
	if (shown == 0)
		fputs("<p>None.</p>\n", out);
	fputs("</section>\n", out);
}

int
html_write(FILE *out, const struct report *r)
{
	struct html_layer *ls = html_layers(r->img, r->waste);

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
	      "<meta name=\"color-scheme\" content=\"light dark\">\n<title>fathom: ", out);
	html_str(out, r->img->ref != NULL ? r->img->ref : r->img->name);
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", html_css);
	html_header(out, r);
	html_rules(out, r);
	html_layer_section(out, r, ls);
	html_tables(out, r);
	fputs("<script type=\"application/json\" id=\"data\">", out);
	html_data(out, r, ls);
	fprintf(out, "</script>\n<script>\n%s</script>\n</body></html>\n", html_js);
	free(ls);
	return ferror(out) ? -1 : 0;
}
