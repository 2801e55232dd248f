'use strict';
/* css_check.js FILE...: each file parsed by css-tree (Debian's
 * node-css-tree); a syntax error, an unknown property or a value its lexer
 * does not take for the property is printed as FILE:LINE:COLUMN: what, one
 * a line; exits 1 when there is one. Values through var() are checked for
 * their property's name only (css-tree cannot match them). */
var csstree = require('css-tree');
var fs = require('fs');
var bad = 0;

function say(file, loc, what) {
	bad++;
	console.log(file + ':' + loc.line + ':' + loc.column + ': ' + what);
}

function usesVar(value) {
	var found = false;
	csstree.walk(value, function (node) {
		if (node.type === 'Function' && node.name === 'var')
			found = true;
	});
	return found;
}

function check(file) {
	var ast = csstree.parse(fs.readFileSync(file, 'utf8'), {
		positions: true,
		onParseError: function (e) {
			say(file, e, e.message);
		}
	});
	csstree.walk(ast, {
		visit: 'Declaration',
		enter: function (node) {
			if (node.property.indexOf('--') === 0)
				return;
			var err = usesVar(node.value) ? csstree.lexer.checkPropertyName(node.property) :
				csstree.lexer.matchProperty(node.property, node.value).error;
			if (err)
				say(file, node.loc.start, node.property + ': ' + err.message.split('\n')[0]);
		}
	});
}

process.argv.slice(2).forEach(check);
process.exit(bad ? 1 : 0);
