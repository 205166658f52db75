<?php
/**
 * What the stand-in sniffs that look for calls of global functions share.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Lint\WordPress\Sniffs;

use PHP_CodeSniffer\Files\File;
use PHP_CodeSniffer\Util\Tokens;

/**
 * Tells a call of a global function (`name(`, `\name(`) from a method call, a static
 * call, a declaration or an instantiation of the same name, as WPCS's function sniffs do.
 */
final class GlobalFunctionCall {

	/**
	 * Tokens that, right before a name, make it something other than a global function.
	 *
	 * @var int[]
	 */
	private const NOT_GLOBAL = array( T_OBJECT_OPERATOR, T_NULLSAFE_OBJECT_OPERATOR, T_DOUBLE_COLON, T_FUNCTION, T_NEW );

	/**
	 * Whether the T_STRING at `$ptr` is called as a global function.
	 *
	 * @param File $phpcs_file File.
	 * @param int  $ptr        Position of the name.
	 */
	public static function at( File $phpcs_file, int $ptr ): bool {
		$tokens = $phpcs_file->getTokens();
		$next   = $phpcs_file->findNext( Tokens::$emptyTokens, $ptr + 1, null, true );
		if ( false === $next || T_OPEN_PARENTHESIS !== $tokens[ $next ]['code'] ) {
			return false;
		}
		$prev = $phpcs_file->findPrevious( Tokens::$emptyTokens, $ptr - 1, null, true );
		return false === $prev || ! in_array( $tokens[ $prev ]['code'], self::NOT_GLOBAL, true );
	}

	/**
	 * The function name at `$ptr`, lower case, without a leading namespace separator.
	 *
	 * @param File $phpcs_file File.
	 * @param int  $ptr        Position of the name.
	 */
	public static function name( File $phpcs_file, int $ptr ): string {
		return strtolower( ltrim( $phpcs_file->getTokens()[ $ptr ]['content'], '\\' ) );
	}
}
