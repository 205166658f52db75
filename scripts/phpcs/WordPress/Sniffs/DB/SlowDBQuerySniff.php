<?php
/**
 * Stand-in for WPCS's WordPress.DB.SlowDBQuery (see phpcs.xml.dist for why).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Lint\WordPress\Sniffs\DB;

use PHP_CodeSniffer\Files\File;
use PHP_CodeSniffer\Sniffs\Sniff;
use PHP_CodeSniffer\Util\Tokens;

/**
 * Reports the query arguments that make WordPress scan unindexed meta values
 * (`'meta_query' => …`, `$args['meta_query'] = …` and co.), with WPCS's codes, e.g.
 * WordPress.DB.SlowDBQuery.slow_db_query_meta_query.
 */
final class SlowDBQuerySniff implements Sniff {

	/**
	 * Array keys that make a slow query.
	 *
	 * @var string[]
	 */
	private const KEYS = array( 'tax_query', 'meta_query', 'meta_key', 'meta_value' );

	/**
	 * Tokens listened to.
	 *
	 * @return int[]
	 */
	public function register() {
		return array( T_CONSTANT_ENCAPSED_STRING );
	}

	/**
	 * Reports one of the keys above used as an array key.
	 *
	 * @param File $phpcs_file File.
	 * @param int  $ptr        Position of the string.
	 */
	public function process( File $phpcs_file, $ptr ) {
		$tokens = $phpcs_file->getTokens();
		$key    = substr( $tokens[ $ptr ]['content'], 1, -1 );
		if ( ! in_array( $key, self::KEYS, true ) ) {
			return;
		}
		$next = $phpcs_file->findNext( Tokens::$emptyTokens, $ptr + 1, null, true );
		if ( false === $next ) {
			return;
		}
		// `'meta_query' => …` in an array, or `$args['meta_query'] = …`.
		$keyed = T_DOUBLE_ARROW === $tokens[ $next ]['code'];
		if ( ! $keyed && T_CLOSE_SQUARE_BRACKET === $tokens[ $next ]['code'] ) {
			$prev   = $phpcs_file->findPrevious( Tokens::$emptyTokens, $ptr - 1, null, true );
			$assign = $phpcs_file->findNext( Tokens::$emptyTokens, $next + 1, null, true );
			$keyed  = false !== $prev && T_OPEN_SQUARE_BRACKET === $tokens[ $prev ]['code'] && false !== $assign && T_EQUAL === $tokens[ $assign ]['code'];
		}
		if ( ! $keyed ) {
			return;
		}
		$phpcs_file->addWarning( 'Detected usage of %s, possible slow query.', $ptr, 'slow_db_query_' . $key, array( $key ) );
	}
}
