<?php
/**
 * Stand-in for WPCS's WordPress.Security.SafeRedirect (see phpcs.xml.dist for why).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Lint\WordPress\Sniffs\Security;

use PHP_CodeSniffer\Files\File;
use PHP_CodeSniffer\Sniffs\Sniff;
use PHP_CodeSniffer\Util\Tokens;

/**
 * Reports calls of wp_redirect() (WordPress.Security.SafeRedirect.wp_redirect_wp_redirect):
 * wp_safe_redirect() refuses hosts that are not allowed.
 */
final class SafeRedirectSniff implements Sniff {

	/**
	 * Tokens listened to.
	 *
	 * @return int[]
	 */
	public function register() {
		return array( T_STRING );
	}

	/**
	 * Reports a call of the global function wp_redirect().
	 *
	 * @param File $phpcs_file File.
	 * @param int  $ptr        Position of the name.
	 */
	public function process( File $phpcs_file, $ptr ) {
		$tokens = $phpcs_file->getTokens();
		if ( 'wp_redirect' !== strtolower( $tokens[ $ptr ]['content'] ) ) {
			return;
		}
		$next = $phpcs_file->findNext( Tokens::$emptyTokens, $ptr + 1, null, true );
		$prev = $phpcs_file->findPrevious( Tokens::$emptyTokens, $ptr - 1, null, true );
		if ( false === $next || T_OPEN_PARENTHESIS !== $tokens[ $next ]['code'] ) {
			return;
		}
		if ( false !== $prev && in_array( $tokens[ $prev ]['code'], array( T_OBJECT_OPERATOR, T_NULLSAFE_OBJECT_OPERATOR, T_DOUBLE_COLON, T_FUNCTION, T_NEW ), true ) ) {
			return;
		}
		$phpcs_file->addWarning( 'wp_redirect() found. Using wp_safe_redirect(), along with the "allowed_redirect_hosts" filter if needed, can help avoid any chances of malicious redirects within code.', $ptr, 'wp_redirect_wp_redirect' );
	}
}
