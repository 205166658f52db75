<?php
/**
 * Checks what the `phpcs:` annotations of the code claim (`make lint`, through scripts/php-lint.sh).
 *
 * An annotation `phpcs:ignore Some.Sniff -- why` claims that Some.Sniff reports the line and that
 * the report is wrong there; `phpcs:disable Some.Sniff` … `phpcs:enable` claims the same of a
 * region. phpcs itself never says when such an annotation silences nothing (the code changed, the
 * sniff name is misspelt), so stale claims pile up. This script runs phpcs once more with
 * --ignore-annotations and matches every annotation with the reports it silences:
 *   - verified:     names a sniff the ruleset runs, and silences at least one of its reports;
 *   - stale:        names a sniff the ruleset runs, and silences nothing: fails the check;
 *   - unverifiable: names a sniff the ruleset cannot run (WPCS's WordPress.Security.* and co.,
 *                   see phpcs.xml.dist), or no sniff at all: counted, and listed with -v.
 *
 * Usage: php scripts/phpcs-claims.php [-v] [FILE…]
 *   -v     list where each unverifiable annotation is
 *   FILE…  check these files instead of the ruleset's (tests/lint uses it)
 *
 * @package WorkOS_WP
 */

$root    = dirname( __DIR__ );
$verbose = in_array( '-v', array_slice( $argv, 1 ), true );
$paths   = array_values( array_diff( array_slice( $argv, 1 ), array( '-v' ) ) );
$paths   = array_map( 'realpath', $paths );
chdir( $root );

/**
 * Runs a command and returns its standard output (phpcs exits non-zero when it reports anything).
 *
 * @param string $command Shell command.
 */
function output_of( string $command ): string {
	$out = shell_exec( $command );
	return is_string( $out ) ? $out : '';
}

// The sniffs the ruleset runs: `phpcs -e` lists them, indented by two spaces.
$sniffs = array();
foreach ( explode( "\n", output_of( 'phpcs -e --no-colors 2>&1' ) ) as $line ) {
	if ( preg_match( '/^  ([A-Za-z0-9_]+\.[A-Za-z0-9_]+\.[A-Za-z0-9_]+)\s*$/', $line, $m ) ) {
		$sniffs[] = $m[1];
	}
}
if ( ! $sniffs ) {
	fwrite( STDERR, "phpcs-claims: phpcs -e listed no sniffs (is phpcs installed? make deps)\n" );
	exit( 2 );
}

// Every report, annotations ignored.
$report = json_decode( output_of( 'phpcs -q --no-colors --no-cache --ignore-annotations --report=json ' . implode( ' ', array_map( 'escapeshellarg', $paths ) ) . ' 2>/dev/null' ), true );
if ( ! is_array( $report ) || ! isset( $report['files'] ) ) {
	fwrite( STDERR, "phpcs-claims: phpcs gave no JSON report\n" );
	exit( 2 );
}

/**
 * Whether a code names a sniff the ruleset runs (a standard, category, sniff or message code).
 *
 * @param string   $code   Code from an annotation.
 * @param string[] $sniffs Sniff codes of the ruleset.
 */
function is_checked( string $code, array $sniffs ): bool {
	foreach ( $sniffs as $sniff ) {
		if ( $sniff === $code || 0 === strpos( $sniff, $code . '.' ) || 0 === strpos( $code, $sniff . '.' ) ) {
			return true;
		}
	}
	return false;
}

/**
 * The annotations of a file: each with its line, kind, codes and the lines it covers.
 *
 * @param string $path File.
 * @return array[]
 */
function annotations( string $path ): array {
	$tokens   = token_get_all( (string) file_get_contents( $path ) );
	$found    = array();
	$open     = array(); // Code (or '*') => index in $found of the phpcs:disable still open.
	$code_on  = array(); // Lines that carry code before a comment.
	$last     = 1;
	foreach ( $tokens as $token ) {
		if ( ! is_array( $token ) ) {
			$code_on[ $last ] = true;
			continue;
		}
		list( $id, $text, $line ) = $token;
		$last                     = $line + substr_count( $text, "\n" );
		if ( T_WHITESPACE === $id || T_OPEN_TAG === $id ) {
			continue;
		}
		if ( T_COMMENT !== $id && T_DOC_COMMENT !== $id ) {
			for ( $l = $line; $l <= $last; $l++ ) {
				$code_on[ $l ] = true;
			}
			continue;
		}
		foreach ( explode( "\n", $text ) as $offset => $comment_line ) {
			// Like phpcs, only a comment (or docblock line) that starts with the instruction counts.
			if ( ! preg_match( '~^\s*(?://+|#|/\*+|\*)?\s*phpcs:(ignore|disable|enable)\b([^\n]*)~', $comment_line, $m ) ) {
				continue;
			}
			$at    = $line + $offset;
			$codes = trim( preg_replace( '/\s--\s.*|\*\/.*$/', '', ' ' . $m[2] ) );
			$codes = '' === $codes ? array() : array_map( 'trim', explode( ',', $codes ) );
			if ( 'ignore' === $m[1] ) {
				// Trailing a statement it covers its own line, on a line of its own the next one.
				$target  = empty( $code_on[ $at ] ) ? $at + 1 : $at;
				$found[] = array(
					'line'  => $at,
					'kind'  => 'ignore',
					'codes' => $codes,
					'from'  => $target,
					'to'    => $target,
				);
			} elseif ( 'disable' === $m[1] ) {
				$found[] = array(
					'line'  => $at,
					'kind'  => 'disable',
					'codes' => $codes,
					'from'  => $at,
					'to'    => PHP_INT_MAX,
				);
				foreach ( $codes ? $codes : array( '*' ) as $code ) {
					$open[ $code ] = count( $found ) - 1;
				}
			} else {
				foreach ( $codes ? $codes : array_keys( $open ) as $code ) {
					if ( isset( $open[ $code ] ) ) {
						$found[ $open[ $code ] ]['to'] = $at;
						unset( $open[ $code ] );
					}
				}
			}
		}
	}
	return $found;
}

$counts       = array(
	'verified'     => 0,
	'stale'        => 0,
	'unverifiable' => 0,
);
$stale        = array();
$unverifiable = array();
foreach ( $report['files'] as $path => $file ) {
	$relative = 0 === strpos( $path, $root . '/' ) ? substr( $path, strlen( $root ) + 1 ) : $path;
	foreach ( annotations( $path ) as $note ) {
		$silenced = array();
		foreach ( $file['messages'] as $message ) {
			if ( $message['line'] >= $note['from'] && $message['line'] <= $note['to'] ) {
				$silenced[] = $message['source'];
			}
		}
		if ( ! $note['codes'] ) {
			// A bare annotation silences everything: it may well be aimed at a sniff we cannot run.
			$key                  = $silenced ? 'verified' : 'unverifiable';
			$counts[ $key ]      += 1;
			$unverifiable['(no sniff named)'][] = $relative . ':' . $note['line'];
			continue;
		}
		foreach ( $note['codes'] as $code ) {
			if ( ! is_checked( $code, $sniffs ) ) {
				++$counts['unverifiable'];
				$unverifiable[ $code ][] = $relative . ':' . $note['line'];
				continue;
			}
			$hit = false;
			foreach ( $silenced as $source ) {
				if ( $source === $code || 0 === strpos( $source, $code . '.' ) ) {
					$hit = true;
					break;
				}
			}
			if ( $hit ) {
				++$counts['verified'];
			} else {
				++$counts['stale'];
				$stale[] = sprintf( '%s:%d phpcs:%s %s silences nothing: delete it (or name the sniff that reports this line)', $relative, $note['line'], $note['kind'], $code );
			}
		}
	}
}

ksort( $unverifiable );
printf(
	"phpcs-claims: %d annotation claims: %d verified, %d stale, %d unverifiable (sniffs phpcs.xml.dist cannot run%s)\n",
	array_sum( $counts ),
	$counts['verified'],
	$counts['stale'],
	$counts['unverifiable'],
	$verbose ? '' : '; -v lists them'
);
foreach ( $unverifiable as $code => $where ) {
	printf( "  unverifiable: %-60s x%d%s\n", $code, count( $where ), $verbose ? ' (' . implode( ', ', $where ) . ')' : '' );
}
foreach ( $stale as $line ) {
	echo 'phpcs-claims: STALE ', $line, "\n";
}
exit( $stale ? 1 : 0 );
