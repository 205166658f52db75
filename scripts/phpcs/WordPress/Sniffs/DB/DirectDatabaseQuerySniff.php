<?php
/**
 * Stand-in for WPCS's WordPress.DB.DirectDatabaseQuery (see phpcs.xml.dist for why).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Lint\WordPress\Sniffs\DB;

use PHP_CodeSniffer\Files\File;
use PHP_CodeSniffer\Sniffs\Sniff;
use PHP_CodeSniffer\Util\Tokens;

/**
 * Reports every query method called on `$wpdb`, under WPCS's code
 * WordPress.DB.DirectDatabaseQuery.DirectQuery, so that the
 * `phpcs:ignore WordPress.DB…` annotations of the plugin silence a real report and a new
 * direct query without one fails. Unlike WPCS it does not look for caching around the call
 * (NoCaching) nor for schema changes (SchemaChange).
 */
final class DirectDatabaseQuerySniff implements Sniff {

	/**
	 * The `wpdb` methods that send SQL.
	 *
	 * @var string[]
	 */
	private const METHODS = array( 'get_var', 'get_col', 'get_row', 'get_results', 'query', 'insert', 'update', 'delete', 'replace' );

	/**
	 * Tokens listened to.
	 *
	 * @return int[]
	 */
	public function register() {
		return array( T_VARIABLE );
	}

	/**
	 * Reports `$wpdb->method(` for the methods above.
	 *
	 * @param File $phpcs_file File.
	 * @param int  $ptr        Position of the variable.
	 */
	public function process( File $phpcs_file, $ptr ) {
		$tokens = $phpcs_file->getTokens();
		if ( '$wpdb' !== $tokens[ $ptr ]['content'] ) {
			return;
		}
		$arrow = $phpcs_file->findNext( Tokens::$emptyTokens, $ptr + 1, null, true );
		if ( false === $arrow || T_OBJECT_OPERATOR !== $tokens[ $arrow ]['code'] ) {
			return;
		}
		$method = $phpcs_file->findNext( Tokens::$emptyTokens, $arrow + 1, null, true );
		if ( false === $method || T_STRING !== $tokens[ $method ]['code'] || ! in_array( strtolower( $tokens[ $method ]['content'] ), self::METHODS, true ) ) {
			return;
		}
		$open = $phpcs_file->findNext( Tokens::$emptyTokens, $method + 1, null, true );
		if ( false === $open || T_OPEN_PARENTHESIS !== $tokens[ $open ]['code'] ) {
			return;
		}
		$phpcs_file->addWarning( 'Use of a direct database call is discouraged.', $method, 'DirectQuery' );
	}
}
