<?php
/**
 * Class-dependency check of the plugin (`make lint`, through scripts/php-lint.sh).
 *
 * Reads every class of php-shim/src with PHP's tokenizer (no autoloading, nothing is run),
 * resolves the names each class uses the way PHP does (namespace, `use` imports and aliases,
 * qualified and fully-qualified names) and draws an edge A -> B for every reference of class A
 * to class B: `B::` (static calls, constants, `B::class`), `new B`, `extends`/`implements`,
 * `instanceof`, `catch`, parameter/return/property types, and string literals that spell B's full
 * name (callbacks). It prints the graph and fails when the graph has a cycle (a strongly
 * connected component of more than one class): a cycle means neither side can be read, tested or
 * moved without the other, which is what the domain folders are meant to prevent.
 *
 * php-shim/workos.php is the composition root (it registers every hook): it may use any class,
 * and the functions and constants it defines (extension_ready(), VERSION …) are not classes, so
 * neither creates edges.
 *
 * It also fails on a class name that resolves into the WorkOS_WP namespace but names no class of
 * the plugin (`Foo::`, `new Foo`, `instanceof Foo`, `extends`/`implements`), in php-shim/src and
 * in the entry files (workos.php, uninstall.php, bin/): after classes move between namespaces,
 * that is a missing `use` line, or a global class written without its leading backslash.
 *
 * A temporary allow-list, scripts/php-deps.allow, may name known cycles (one per line, the
 * classes of the cycle separated by spaces, names relative to WorkOS_WP); a cycle made only of
 * classes of one allowed line does not fail the check, and each allowed line is printed loudly.
 * It exists only while cycles are being removed: the goal is an empty file.
 *
 * Usage: php scripts/php-deps.php [--dot] [--cycles-only] [--root=DIR]
 *   --dot          print the graph in Graphviz format instead (exit status unchanged)
 *   --cycles-only  print only the summary and the cycles
 *   --root=DIR     check DIR/php-shim instead of this checkout's (tests/lint uses it)
 *
 * @package WorkOS_WP
 */

$args = array_slice( $argv, 1 );
$root = dirname( __DIR__ );
foreach ( $args as $arg ) {
	if ( 0 === strpos( $arg, '--root=' ) ) {
		$root = rtrim( substr( $arg, 7 ), '/' );
	}
}
$src        = $root . '/php-shim/src';
$allow_file = $root . '/scripts/php-deps.allow';
$dot        = in_array( '--dot', $args, true );
$only       = in_array( '--cycles-only', $args, true );

const ROOT_NAMESPACE = 'WorkOS_WP';

/**
 * Every PHP file under a directory, sorted.
 *
 * @param string $dir Directory.
 * @return string[]
 */
function php_files( string $dir ): array {
	$files = array();
	$it    = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $dir, FilesystemIterator::SKIP_DOTS ) );
	foreach ( $it as $file ) {
		if ( $file->isFile() && 'php' === $file->getExtension() ) {
			$files[] = $file->getPathname();
		}
	}
	sort( $files );
	return $files;
}

/**
 * The tokens of a file without whitespace and comments, each as array( id, text, line ).
 *
 * @param string $path File.
 * @return array[]
 */
function code_tokens( string $path ): array {
	$out  = array();
	$line = 1;
	foreach ( token_get_all( (string) file_get_contents( $path ) ) as $token ) {
		if ( is_array( $token ) ) {
			$line = $token[2];
			if ( in_array( $token[0], array( T_WHITESPACE, T_COMMENT, T_DOC_COMMENT ), true ) ) {
				continue;
			}
			$out[] = array( $token[0], $token[1], $line );
		} else {
			$out[] = array( 0, $token, $line );
		}
	}
	return $out;
}

/**
 * Whether a token is a name (unqualified, qualified, fully qualified or namespace-relative).
 *
 * @param array $token Token.
 */
function is_name( array $token ): bool {
	return in_array( $token[0], array( T_STRING, T_NAME_QUALIFIED, T_NAME_FULLY_QUALIFIED, T_NAME_RELATIVE ), true );
}

/**
 * Resolves a class name as PHP would in the given namespace with the given imports.
 *
 * @param string $name      Name as written.
 * @param string $namespace Current namespace.
 * @param array  $imports   Lower-cased alias => full name.
 */
function resolve( string $name, string $namespace, array $imports ): string {
	if ( '\\' === $name[0] ) {
		return substr( $name, 1 );
	}
	if ( 0 === stripos( $name, 'namespace\\' ) ) {
		return ( '' === $namespace ? '' : $namespace . '\\' ) . substr( $name, 10 );
	}
	$parts = explode( '\\', $name, 2 );
	$alias = strtolower( $parts[0] );
	if ( isset( $imports[ $alias ] ) ) {
		return $imports[ $alias ] . ( isset( $parts[1] ) ? '\\' . $parts[1] : '' );
	}
	return ( '' === $namespace ? '' : $namespace . '\\' ) . $name;
}

/**
 * Reads one file: the classes it declares, and every class name it uses with its line.
 *
 * @param string $path File.
 * @return array{classes: string[], refs: array[], imports: array[]}
 */
function scan( string $path ): array {
	$tokens    = code_tokens( $path );
	$count     = count( $tokens );
	$namespace = '';
	$imports   = array();
	$classes   = array();
	$refs      = array();
	$import_at = array();
	$depth     = 0; // Brace depth: a `use` at depth 0 imports, inside a class it is a trait.
	$ns_depth  = 0; // The depth of a braced namespace's body (`namespace X { … }`): its imports are there.
	$skip      = array( 'self', 'static', 'parent', 'true', 'false', 'null', 'array', 'callable', 'iterable', 'mixed', 'void', 'never', 'object', 'bool', 'int', 'float', 'string' );

	for ( $i = 0; $i < $count; $i++ ) {
		list( $id, $text, $line ) = $tokens[ $i ];
		$prev                     = $tokens[ $i - 1 ] ?? array( 0, '', 0 );
		$next                     = $tokens[ $i + 1 ] ?? array( 0, '', 0 );

		if ( '{' === $text || T_CURLY_OPEN === $id || T_DOLLAR_OPEN_CURLY_BRACES === $id ) {
			++$depth;
			continue;
		}
		if ( '}' === $text ) {
			--$depth;
			continue;
		}

		if ( T_NAMESPACE === $id && is_name( $next ) ) {
			$namespace = $next[1];
			$imports   = array();
			$ns_depth  = '{' === ( $tokens[ $i + 2 ][1] ?? '' ) ? $depth + 1 : 0;
			++$i;
			continue;
		}
		if ( T_NAMESPACE === $id && '{' === $next[1] ) { // `namespace { … }`: the global namespace.
			$namespace = '';
			$imports   = array();
			$ns_depth  = $depth + 1;
			continue;
		}

		// Imports: `use A\B;`, `use A\B as C;`, `use A\{B, C as D};` (not `use function`/`use const`).
		if ( T_USE === $id && $ns_depth === $depth && ')' !== $prev[1] ) {
			$kind = strtolower( $next[1] );
			$j    = $i + 1;
			if ( 'function' === $kind || 'const' === $kind ) {
				while ( $j < $count && ';' !== $tokens[ $j ][1] ) {
					++$j;
				}
				$i = $j;
				continue;
			}
			$prefix = '';
			$name   = '';
			$alias  = '';
			$as     = false;
			for ( ; $j < $count; $j++ ) {
				$t = $tokens[ $j ];
				if ( T_AS === $t[0] ) {
					$as = true;
				} elseif ( is_name( $t ) ) {
					if ( $as ) {
						$alias = $t[1];
					} else {
						$name = ltrim( $t[1], '\\' );
					}
				} elseif ( T_NS_SEPARATOR === $t[0] ) {
					// `use A\{…}` in PHP 8 tokenizes as the name `A` followed by `\`.
					$prefix = $name . '\\';
					$name   = '';
				} elseif ( in_array( $t[1], array( ',', ';', '}' ), true ) ) {
					if ( '' !== $name ) {
						$full                                = $prefix . $name;
						$short                               = '' !== $alias ? $alias : substr( (string) strrchr( '\\' . $full, '\\' ), 1 );
						$imports[ strtolower( $short ) ]     = $full;
						$import_at[ $full ]                  = $line;
					}
					$name  = '';
					$alias = '';
					$as    = false;
					if ( ';' === $t[1] ) {
						break;
					}
				}
			}
			$i = $j;
			continue;
		}

		// Declarations: `class Foo`, `interface Foo`, `trait Foo`, `enum Foo` (not `Foo::class`, `new class`).
		if ( in_array( $id, array( T_CLASS, T_INTERFACE, T_TRAIT, T_ENUM ), true ) && T_DOUBLE_COLON !== $prev[0] && T_NEW !== $prev[0] ) {
			if ( T_STRING === $next[0] ) {
				$classes[] = ( '' === $namespace ? '' : $namespace . '\\' ) . $next[1];
				++$i;
			}
			continue;
		}

		// A string that spells a class's full name is a reference too (callbacks, class_exists()).
		if ( T_CONSTANT_ENCAPSED_STRING === $id ) {
			$value = stripcslashes( substr( $text, 1, -1 ) );
			if ( preg_match( '/^\\\\?[A-Za-z_][A-Za-z0-9_]*(\\\\[A-Za-z_][A-Za-z0-9_]*)+$/', $value ) ) {
				$refs[] = array( ltrim( $value, '\\' ), $line, 'string' );
			}
			continue;
		}

		if ( ! is_name( $tokens[ $i ] ) || in_array( strtolower( $text ), $skip, true ) ) {
			continue;
		}
		// Member names and declarations are not class names.
		if ( in_array( $prev[0], array( T_OBJECT_OPERATOR, T_NULLSAFE_OBJECT_OPERATOR, T_DOUBLE_COLON, T_FUNCTION, T_CONST, T_GOTO ), true ) ) {
			continue;
		}
		// A function call `foo(…)` (not `new Foo(…)`), a named argument `name: …`, a label.
		if ( '(' === $next[1] && T_NEW !== $prev[0] ) {
			continue;
		}
		if ( ':' === $next[1] && ( '(' === $prev[1] || ',' === $prev[1] ) ) {
			continue;
		}
		$how = 'name';
		if ( T_DOUBLE_COLON === $next[0] ) {
			$how = ( 'class' === strtolower( $tokens[ $i + 2 ][1] ?? '' ) ) ? '::class' : '::';
		} elseif ( T_NEW === $prev[0] ) {
			$how = 'new';
		} elseif ( in_array( $prev[0], array( T_EXTENDS, T_IMPLEMENTS, T_INSTANCEOF ), true ) ) {
			$how = strtolower( $prev[1] );
		}
		$refs[] = array( resolve( $text, $namespace, $imports ), $line, $how );
	}

	return array(
		'classes' => $classes,
		'refs'    => $refs,
		'imports' => $import_at,
	);
}

/**
 * Strongly connected components (Tarjan), each sorted, largest first.
 *
 * @param array $graph Node => list of nodes.
 * @return array[]
 */
function components( array $graph ): array {
	$index   = array();
	$low     = array();
	$stack   = array();
	$on      = array();
	$out     = array();
	$counter = 0;
	$visit   = function ( string $v ) use ( &$visit, &$index, &$low, &$stack, &$on, &$out, &$counter, $graph ): void {
		$index[ $v ] = $counter;
		$low[ $v ]   = $counter;
		++$counter;
		$stack[]  = $v;
		$on[ $v ] = true;
		foreach ( $graph[ $v ] as $w ) {
			if ( ! isset( $index[ $w ] ) ) {
				$visit( $w );
				$low[ $v ] = min( $low[ $v ], $low[ $w ] );
			} elseif ( ! empty( $on[ $w ] ) ) {
				$low[ $v ] = min( $low[ $v ], $index[ $w ] );
			}
		}
		if ( $low[ $v ] === $index[ $v ] ) {
			$component = array();
			do {
				$w          = array_pop( $stack );
				$on[ $w ]   = false;
				$component[] = $w;
			} while ( $w !== $v );
			sort( $component );
			$out[] = $component;
		}
	};
	foreach ( array_keys( $graph ) as $v ) {
		if ( ! isset( $index[ $v ] ) ) {
			$visit( $v );
		}
	}
	usort(
		$out,
		static function ( array $a, array $b ): int {
			return array( count( $b ), $a[0] ) <=> array( count( $a ), $b[0] );
		}
	);
	return $out;
}

/**
 * A class name relative to the plugin's root namespace.
 *
 * @param string $fqcn Full name.
 */
function short_name( string $fqcn ): string {
	return 0 === strpos( $fqcn, ROOT_NAMESPACE . '\\' ) ? substr( $fqcn, strlen( ROOT_NAMESPACE ) + 1 ) : $fqcn;
}

// Pass 1: the classes and where they are; pass 2: the edges between them.
$scans = array();
$where = array();
foreach ( php_files( $src ) as $file ) {
	$scans[ $file ] = scan( $file );
	foreach ( $scans[ $file ]['classes'] as $class ) {
		$where[ strtolower( $class ) ] = array( $class, substr( $file, strlen( $root ) + 1 ) );
	}
}
// The entry files (plugin file, uninstall.php, the stand-alone CLI) use classes too: their
// names are checked (unknown classes), though they are not part of the graph.
foreach ( array_merge( (array) glob( $root . '/php-shim/*.php' ), (array) glob( $root . '/php-shim/bin/*.php' ) ) as $file ) {
	$scans[ $file ] = scan( $file );
}
$graph   = array();
$sites   = array(); // "A B" => list of "file:line how".
$unused  = array();
$unknown = array();
foreach ( $scans as $file => $scan ) {
	$relative = substr( $file, strlen( $root ) + 1 );
	foreach ( $scan['classes'] as $class ) {
		$graph[ $class ] = $graph[ $class ] ?? array();
	}
	$from = $scan['classes'][0] ?? null; // Null for the entry files: checked, not in the graph.
	$used = array();
	foreach ( $scan['refs'] as list( $name, $line, $how ) ) {
		$key = strtolower( $name );
		if ( ! isset( $where[ $key ] ) ) {
			// A class name that resolves into the plugin's namespace but names no class of it is a
			// missing `use` line or a missing leading backslash (`WP_Error` in a namespace is
			// WorkOS_WP\…\WP_Error): a fatal error, or an `instanceof` that is always false.
			if ( 0 === stripos( $name, ROOT_NAMESPACE . '\\' ) && in_array( $how, array( '::', '::class', 'new', 'extends', 'implements', 'instanceof' ), true ) ) {
				$unknown[] = sprintf( '%s:%d %s%s names no class (missing `use` line or leading backslash?)', $relative, $line, $name, '::' === $how || '::class' === $how ? $how : ' (' . $how . ')' );
			}
			continue;
		}
		$to           = $where[ $key ][0];
		$used[ $key ] = true;
		if ( null === $from || $to === $from ) {
			continue;
		}
		$graph[ $from ][]           = $to;
		$sites[ $from . ' ' . $to ][] = $relative . ':' . $line . ' ' . $how;
	}
	foreach ( $scan['imports'] as $full => $line ) {
		if ( isset( $where[ strtolower( $full ) ] ) && empty( $used[ strtolower( $full ) ] ) ) {
			$unused[] = $relative . ':' . $line . ' use ' . $full . ' (imported, never used)';
		}
	}
}
ksort( $graph );
foreach ( $graph as $class => $targets ) {
	$targets = array_values( array_unique( $targets ) );
	sort( $targets );
	$graph[ $class ] = $targets;
}

$edges = array_sum( array_map( 'count', $graph ) );

if ( $dot ) {
	echo "digraph workos_wp {\n\trankdir=LR;\n\tnode [shape=box, fontname=monospace];\n";
	foreach ( $graph as $class => $targets ) {
		printf( "\t\"%s\";\n", short_name( $class ) );
		foreach ( $targets as $to ) {
			printf( "\t\"%s\" -> \"%s\";\n", short_name( $class ), short_name( $to ) );
		}
	}
	echo "}\n";
}

$cycles = array_values(
	array_filter(
		components( $graph ),
		static function ( array $c ): bool {
			return count( $c ) > 1;
		}
	)
);

// The allow-list: one known cycle per line, class names relative to WorkOS_WP; # starts a comment.
$allowed = array();
if ( is_file( $allow_file ) ) {
	foreach ( (array) file( $allow_file, FILE_IGNORE_NEW_LINES ) as $raw ) {
		$raw = trim( preg_replace( '/#.*/', '', $raw ) );
		if ( '' !== $raw ) {
			$allowed[] = preg_split( '/\s+/', $raw );
		}
	}
}

$log = $dot ? STDERR : STDOUT;
fprintf( $log, "php-deps: %d classes, %d dependencies in php-shim/src\n", count( $graph ), $edges );
if ( ! $dot && ! $only ) {
	foreach ( $graph as $class => $targets ) {
		fprintf( $log, "  %s -> %s\n", short_name( $class ), $targets ? implode( ', ', array_map( 'short_name', $targets ) ) : '(nothing)' );
	}
}
foreach ( $unused as $note ) {
	fprintf( $log, "php-deps: note: %s\n", $note );
}

$failed     = 0;
$used_allow = array();
foreach ( $unknown as $error ) {
	fprintf( $log, "php-deps: UNKNOWN CLASS %s\n", $error );
	++$failed;
}
foreach ( $cycles as $n => $cycle ) {
	$members = array_map( 'short_name', $cycle );
	$allowed_by = null;
	foreach ( $allowed as $k => $entry ) {
		if ( ! array_diff( $members, $entry ) ) {
			$allowed_by = $k;
			break;
		}
	}
	if ( null === $allowed_by ) {
		++$failed;
		fprintf( $log, "\nphp-deps: CYCLE %d (%d classes): %s\n", $n + 1, count( $cycle ), implode( ' ', $members ) );
	} else {
		$used_allow[ $allowed_by ] = true;
		fprintf( $log, "\nphp-deps: !!! ALLOWED CYCLE %d (%d classes, scripts/php-deps.allow line): %s\n", $n + 1, count( $cycle ), implode( ' ', $members ) );
	}
	// The edges inside the cycle, each with where it is made: cutting one of them breaks it.
	$in = array_flip( $cycle );
	foreach ( $cycle as $from ) {
		foreach ( $graph[ $from ] as $to ) {
			if ( isset( $in[ $to ] ) ) {
				$at = array_values( array_unique( $sites[ $from . ' ' . $to ] ) );
				fprintf( $log, "    %s -> %s   (%s%s)\n", short_name( $from ), short_name( $to ), implode( ', ', array_slice( $at, 0, 3 ) ), count( $at ) > 3 ? ', +' . ( count( $at ) - 3 ) . ' more' : '' );
			}
		}
	}
}
if ( $allowed ) {
	fprintf( $log, "\nphp-deps: !!! %d KNOWN CYCLE(S) ALLOWED BY scripts/php-deps.allow: a temporary measure, the file must end up empty !!!\n", count( $allowed ) );
	foreach ( $allowed as $k => $entry ) {
		fprintf( $log, "php-deps: !!!   %s%s\n", implode( ' ', $entry ), isset( $used_allow[ $k ] ) ? '' : '   (covers no current cycle: delete this line)' );
	}
}
if ( $failed ) {
	fprintf( $log, "\nphp-deps: FAILED: %d class cycle(s) or unknown class(es) in php-shim/src\n", $failed );
	exit( 1 );
}
fprintf( $log, "php-deps: no class cycles%s\n", $cycles ? ' outside the allow-list' : '' );
