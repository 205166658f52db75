<?php
/**
 * Stand-in for WPCS's WordPress.Security.SafeRedirect (see phpcs.xml.dist for why).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Lint\WordPress\Sniffs\Security;

use PHP_CodeSniffer\Files\File;
use PHP_CodeSniffer\Sniffs\Sniff;
use WorkOS_WP\Lint\WordPress\Sniffs\GlobalFunctionCall;

require_once dirname( __DIR__ ) . '/GlobalFunctionCall.php';

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
		if ( 'wp_redirect' !== GlobalFunctionCall::name( $phpcs_file, $ptr ) ) {
			return;
		}
		if ( ! GlobalFunctionCall::at( $phpcs_file, $ptr ) ) {
			return;
		}
		$phpcs_file->addWarning( 'wp_redirect() found. Using wp_safe_redirect(), along with the "allowed_redirect_hosts" filter if needed, can help avoid any chances of malicious redirects within code.', $ptr, 'wp_redirect_wp_redirect' );
	}
}
