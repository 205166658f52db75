<?php
/**
 * The one rule for comparing email addresses.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

defined( 'ABSPATH' ) || exit;

/**
 * An address's key: the extension's canonical form (lower case, IDNA ASCII
 * domain; refused when IDNA would change it), and only when WordPress stores
 * that form unchanged. Linking, locks and organization domains all compare
 * keys, so an address that merely looks like another never matches it.
 * A leaf: it depends on nothing of the plugin.
 */
final class EmailKey {

	/**
	 * The key of `$email`; null when it has none (then it links nobody).
	 *
	 * @param mixed $email Email address.
	 */
	public static function of( $email ): ?string {
		if ( ! is_string( $email ) || '' === $email ) {
			return null;
		}
		try {
			$key = \WorkOS\Native\Email::canonical( $email );
		} catch ( \WorkOS\Native\Exception $e ) {
			return null;
		}
		// wp_users.user_email holds 100 characters; WordPress must keep it as is.
		if ( strlen( $key ) > 100 || sanitize_email( $key ) !== $key || ! is_email( $key ) ) {
			return null;
		}
		return $key;
	}
}
