<?php
/**
 * Where people land after signing in or out, by role.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * login_redirect / logout_redirect from the per-role maps. An explicit,
 * validated redirect_to always wins.
 */
final class Redirects {

	/** Usermeta: when the user last signed in (marks "not the first time"). */
	public const META_LAST_LOGIN = '_workos_last_login';

	/**
	 * Whether the sign-in in progress is the user's first.
	 *
	 * @var array<int, bool>
	 */
	private static $first = array();

	/**
	 * wp_login (early): note whether this is a first sign-in, then record it.
	 *
	 * @param string   $login Login name.
	 * @param \WP_User $user  User.
	 */
	public static function note_login( $login, $user ): void {
		if ( ! $user instanceof \WP_User ) {
			return;
		}
		self::$first[ $user->ID ] = '' === (string) get_user_meta( $user->ID, self::META_LAST_LOGIN, true );
		update_user_meta( $user->ID, self::META_LAST_LOGIN, time() );
	}

	/**
	 * login_redirect.
	 *
	 * @param string                  $redirect_to Where WordPress would go.
	 * @param string                  $requested   What the visitor asked for.
	 * @param \WP_User|\WP_Error|null $user        Who signed in.
	 */
	public static function after_login( $redirect_to, $requested, $user ) {
		if ( ! $user instanceof \WP_User || self::explicit( (string) $requested ) ) {
			return $redirect_to;
		}
		if ( Settings::flag( 'login_redirect_first_only' ) && ! ( self::$first[ $user->ID ] ?? false ) ) {
			return $redirect_to;
		}
		$url = self::for_user( $user, 'login_redirects', 'login_redirect_default' );
		return '' !== $url ? $url : $redirect_to;
	}

	/**
	 * logout_redirect.
	 *
	 * @param string                  $redirect_to Where WordPress would go.
	 * @param string                  $requested   What the visitor asked for.
	 * @param \WP_User|\WP_Error|null $user        Who signed out.
	 */
	public static function after_logout( $redirect_to, $requested, $user ) {
		if ( ! $user instanceof \WP_User || self::explicit( (string) $requested ) ) {
			return $redirect_to;
		}
		$url = self::for_user( $user, 'logout_redirects', 'logout_redirect_default' );
		return '' !== $url ? $url : $redirect_to;
	}

	/**
	 * Whether a redirect was really asked for: WordPress's login form always
	 * posts its default (the dashboard), which is not a choice.
	 *
	 * @param string $requested Requested target.
	 */
	private static function explicit( string $requested ): bool {
		return '' !== $requested && untrailingslashit( $requested ) !== untrailingslashit( admin_url() );
	}

	/**
	 * The URL for the user's first mapped role, else the default.
	 *
	 * @param \WP_User $user        User.
	 * @param string   $map_key     Setting with role => URL.
	 * @param string   $default_key Setting with the default URL.
	 */
	private static function for_user( \WP_User $user, string $map_key, string $default_key ): string {
		$map = Settings::map( $map_key );
		$url = Settings::get( $default_key );
		foreach ( $user->roles as $role ) {
			if ( isset( $map[ $role ] ) ) {
				$url = $map[ $role ];
				break;
			}
		}
		if ( '' === $url ) {
			return '';
		}
		return Login::site_target( $url );
	}
}
