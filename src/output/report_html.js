/* report_html.js: the script of fathom's HTML report (report_html.c embeds
 * it at build time). It reads the page's data (a JSON script, id "data")
 * and adds what plain HTML cannot: a layer's details on selection, the
 * treemap (drawn, nested and zoomed), sorting the tables. The page's
 * figures and tables are there without it. Checked by eslint (tests). */
(function () {
	'use strict';
	var D = JSON.parse(document.getElementById('data').textContent);

	/* Bytes as dive writes them: "6.4 kB", "13 kB", "9 B". */
	function fmt(b) {
		var u = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'], i = 0;
		if (b < 10) return b + ' B';
		while (b >= 1000 && i < u.length - 1) {
			b /= 1000;
			i++;
		}
		var v = Math.round(b * 10) / 10;
		return (v < 10 ? v.toFixed(1) : Math.round(v)) + ' ' + u[i];
	}

	/* An SVG element with attributes a and text t. */
	function el(n, a, t) {
		var e = document.createElementNS('http://www.w3.org/2000/svg', n);
		for (var k in a) e.setAttribute(k, a[k]);
		if (t !== undefined) e.textContent = t;
		return e;
	}

	/* An HTML element with text t. */
	function h(n, t) {
		var e = document.createElement(n);
		if (t !== undefined) e.textContent = t;
		return e;
	}

	/* Layers: a click or Enter shows what the layer changed. */
	var det = document.getElementById('layer-detail');

	function showLayer(i) {
		var L = D.layers[i];
		det.textContent = '';
		det.appendChild(h('strong', 'Layer ' + i + ': ' + fmt(L.size) +
			(L.hidden ? ', ' + fmt(L.hidden) + ' hidden by later layers' : '')));
		det.appendChild(h('div', L.added + ' added, ' + L.modified + ' modified, ' +
			L.removed + ' removed'));
		var c = h('div', L.command || '');
		c.className = 'p mute';
		det.appendChild(c);
		if (L.largest.length) {
			var t = h('table'), r = h('tr');
			['', 'Size', 'Path'].forEach(function (x, k) {
				var th = h('th', x);
				if (k == 1) th.className = 'n';
				r.appendChild(th);
			});
			t.appendChild(r);
			L.largest.forEach(function (p) {
				var tr = h('tr');
				var a = h('td', p[2]);
				var b = h('td', fmt(p[1]));
				b.className = 'n';
				var d = h('td', p[0]);
				d.className = 'p';
				tr.appendChild(a);
				tr.appendChild(b);
				tr.appendChild(d);
				t.appendChild(tr);
			});
			det.appendChild(t);
		}
		det.hidden = false;
		det.setAttribute('data-layer', i);
	}

	Array.prototype.forEach.call(document.querySelectorAll('#layer-bars .layer'), function (g) {
		var i = +g.getAttribute('data-layer');
		g.addEventListener('click', function () {
			showLayer(i);
		});
		g.addEventListener('keydown', function (e) {
			if (e.key === 'Enter' || e.key === ' ') {
				e.preventDefault();
				showLayer(i);
			}
		});
	});

	/* Treemap: squarified and nested (a directory with room draws its
	 * entries inside it, below its name, LEVELS deep); a click or Enter
	 * zooms into a directory, or into the one holding a file. A node is
	 * [name, bytes, layer, children or null(, entries aggregated)]. */
	var svg = document.getElementById('treemap'), crumbs = document.getElementById('crumbs'),
		tip = document.getElementById('tip'), W = 960, H = 540, path = [D.tree], LEVELS = 3,
		HEAD = 16, PAD = 3;

	/* The worst aspect ratio of a row of areas along a side of length s. */
	function worst(row, sum, s) {
		var mx = 0, mn = Infinity;
		row.forEach(function (it) {
			mx = Math.max(mx, it.a);
			mn = Math.min(mn, it.a);
		});
		var s2 = sum * sum, l2 = s * s;
		return Math.max(l2 * mx / s2, s2 / (l2 * mn));
	}

	/* Lays a row of cells along the shorter side; returns what is left. */
	function place(row, sum, box, out) {
		var th = sum / Math.min(box.w, box.h);
		if (box.w >= box.h) {
			var yy = box.y;
			row.forEach(function (it) {
				var q = it.a / th;
				out.push({k: it.k, x: box.x, y: yy, w: th, h: q});
				yy += q;
			});
			box.x += th;
			box.w -= th;
		} else {
			var xx = box.x;
			row.forEach(function (it) {
				var q = it.a / th;
				out.push({k: it.k, x: xx, y: box.y, w: q, h: th});
				xx += q;
			});
			box.y += th;
			box.h -= th;
		}
	}

	/* The cells of kids (largest first) in the box x, y, w, hh. */
	function squarify(kids, x, y, w, hh) {
		var tot = 0, out = [], box = {x: x, y: y, w: w, h: hh};
		kids.forEach(function (k) {
			tot += k[1];
		});
		if (!tot) return out;
		var sc = w * hh / tot, i = 0;
		var items = kids.map(function (k) {
			return {k: k, a: k[1] * sc};
		});
		while (i < items.length) {
			var s = Math.min(box.w, box.h), row = [items[i]], sum = items[i].a,
				wr = worst(row, sum, s);
			i++;
			while (i < items.length) {
				var r2 = row.concat([items[i]]), s2 = sum + items[i].a, w2 = worst(r2, s2, s);
				if (w2 > wr) break;
				row = r2;
				sum = s2;
				wr = w2;
				i++;
			}
			place(row, sum, box, out);
		}
		return out;
	}

	function full(chain) {
		return '/' + path.slice(1).concat(chain).map(function (n) {
			return n[0];
		}).join('/');
	}

	function isdir(k) {
		return !!(k[3] && k[3].length);
	}

	function say(chain) {
		var k = chain[chain.length - 1];
		tip.textContent = full(chain) + '  ' + fmt(k[1]) + '  layer ' + k[2] +
			(k[4] ? '  (' + k[4] + ' entries aggregated)' :
				(isdir(k) ? '  directory: click to zoom in' : ''));
	}

	function zoom(chain) {
		var n = chain.length;
		while (n && !isdir(chain[n - 1])) n--;
		if (n) {
			path = path.concat(chain.slice(0, n));
			draw(true);
		}
	}

	function up(n) {
		if (path.length > n) {
			path.length = n;
			draw(true);
		}
	}

	/* Nested cells smaller than 4 px a side are left to their parent's colour. */
	function layout(parent, node, chain, x, y, w, hh, depth) {
		var kids = (node[3] || []).filter(function (k) {
			return k[1] > 0;
		});
		squarify(kids, x, y, w, hh).forEach(function (c) {
			if (!depth || (c.w >= 4 && c.h >= 4)) cell(parent, c, chain.concat([c.k]), depth);
		});
	}

	/* What a cell does on a click, the mouse, focus and keys. */
	function listen(g, chain) {
		g.addEventListener('click', function (e) {
			e.stopPropagation();
			zoom(chain);
		});
		g.addEventListener('mousemove', function (e) {
			e.stopPropagation();
			say(chain);
		});
		g.addEventListener('focus', function () {
			say(chain);
		});
		g.addEventListener('keydown', function (e) {
			e.stopPropagation();
			if (e.key === 'Enter' || e.key === ' ') {
				e.preventDefault();
				zoom(chain);
			} else if (e.key === 'Backspace' || e.key === 'Escape') {
				e.preventDefault();
				up(path.length - 1);
			}
		});
	}

	function cell(parent, c, chain, depth) {
		var k = c.k, p = full(chain),
			inner = depth < LEVELS - 1 && isdir(k) && c.w >= 3 * HEAD && c.h >= 3 * HEAD;
		var g = el('g', {
			'class': 'cell' + (isdir(k) ? ' dir' : '') + (inner ? ' open' : ''),
			tabindex: depth ? '-1' : '0', role: 'button', 'data-path': p, 'data-depth': depth,
			'aria-label': p + ', ' + fmt(k[1]) + ', layer ' + k[2]
		});
		g.appendChild(el('rect', {
			x: c.x, y: c.y, width: Math.max(c.w, 0), height: Math.max(c.h, 0),
			fill: (D.layers[k[2]] || {color: '#888'}).color,
			'fill-opacity': k[4] ? 0.45 : inner ? 0.5 : 0.9
		}));
		if (c.w > 40 && c.h > 14)
			g.appendChild(el('text', {x: c.x + 4, y: c.y + 12},
				k[0].slice(0, Math.floor((c.w - 6) / 7))));
		g.appendChild(el('title', {}, p + ' ' + fmt(k[1]) + ' (layer ' + k[2] + ')'));
		listen(g, chain);
		parent.appendChild(g);
		if (inner)
			layout(g, k, chain, c.x + PAD, c.y + HEAD, c.w - 2 * PAD, c.h - HEAD - PAD, depth + 1);
	}

	function draw(focus) {
		while (svg.firstChild) svg.removeChild(svg.firstChild);
		layout(svg, path[path.length - 1], [], 0, 0, W, H, 0);
		crumbs.textContent = '';
		path.forEach(function (n, i) {
			var b = h('button', i ? n[0] : '/ (all, ' + fmt(D.tree[1]) + ')');
			b.type = 'button';
			b.addEventListener('click', function () {
				up(i + 1);
			});
			crumbs.appendChild(b);
		});
		svg.setAttribute('data-zoom', full([]));
		if (focus && svg.firstChild) svg.firstChild.focus();
	}

	draw(false);

	/* Tables: sort by a column (its cells' data-v), each click the other way. */
	function sortBy(t, b, col) {
		var rows = Array.prototype.slice.call(t.querySelectorAll('tbody tr')),
			dir = b.getAttribute('data-dir') === 'desc' ? 1 : -1;
		rows.sort(function (p, q) {
			var a = p.children[col].getAttribute('data-v'), c = q.children[col].getAttribute('data-v');
			var x = +a, y = +c;
			var r = (isNaN(x) || isNaN(y)) ? String(a).localeCompare(String(c)) : x - y;
			return dir * r;
		});
		rows.forEach(function (r) {
			r.parentNode.appendChild(r);
		});
		b.setAttribute('data-dir', dir === 1 ? 'asc' : 'desc');
	}

	Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (t) {
		Array.prototype.forEach.call(t.querySelectorAll('th button'), function (b, col) {
			b.addEventListener('click', function () {
				sortBy(t, b, col);
			});
		});
	});
	document.documentElement.setAttribute('data-ready', '1');
})();
