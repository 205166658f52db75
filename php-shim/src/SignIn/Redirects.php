<?php
/**
 * Where people land after signing in or out: every redirect-target rule of
 * the plugin.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Compat\RoleRedirects;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Redirect targets: only this site's (validated in Rust), login_redirect /
 * logout_redirect from the per-role maps, where a finished sign-in lands.
 * An explicit, validated redirect_to always wins.
 */
final class Redirects {

	/** Usermeta: when the user last signed in (marks "not the first time"). */
	public const META_LAST_LOGIN = \WorkOS_WP\Users\UserMeta::LAST_LOGIN;

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
		if ( ! $user instanceof \WP_User ) {
			return $redirect_to;
		}
		// The role's URL, through the reference plugin's redirect filters (Compat).
		$url = RoleRedirects::login( $user, (string) $requested, self::explicit( (string) $requested ), self::$first[ $user->ID ] ?? false, array( self::class, 'site_target' ) );
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
		$url = RoleRedirects::logout( $user, (string) $requested, array( self::class, 'site_target' ) );
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
	 * The target a new sign-in carries ('' means "none asked": role-based
	 * redirects may then choose).
	 *
	 * @param string $requested The redirect_to the visitor asked for.
	 */
	public static function requested( string $requested ): string {
		return '' === $requested ? '' : self::safe_target( $requested );
	}

	/**
	 * Where a finished sign-in lands: the page `login_redirect` chooses
	 * (role-based redirects, see after_login()) from what was asked, kept on
	 * this site.
	 *
	 * @param \WP_User $user   Who signed in.
	 * @param string   $target The redirect the visitor asked for ('' = none).
	 */
	public static function after_sign_in( \WP_User $user, string $target ): string {
		/** This filter is documented in wp-login.php */
		$redirect = apply_filters( 'login_redirect', '' !== $target ? $target : admin_url(), $target, $user );
		return self::safe_target( is_string( $redirect ) ? $redirect : '' );
	}

	/**
	 * Where the sign-in screen sends someone who has just signed out: the
	 * site, not AuthKit (whose session would sign them straight in again).
	 */
	public static function after_signed_out(): string {
		return home_url( '/' );
	}

	/**
	 * safe_target() for a setting or attribute that may be a site path
	 * (`/members/`) or a full URL.
	 *
	 * @param string      $url      Path or URL.
	 * @param string|null $fallback Where to go otherwise (default: the admin).
	 */
	public static function site_target( string $url, ?string $fallback = null ): string {
		$is_path = 0 === strpos( $url, '/' ) && 0 !== strpos( $url, '//' );
		return self::safe_target( $is_path ? home_url( $url ) : $url, $fallback );
	}

	/**
	 * Whether a setting's target (a /path or a URL) stays on this site: the
	 * settings screen refuses the others when they are saved, by the same
	 * rule that would ignore them at sign-in.
	 *
	 * @param string $url Path or URL.
	 */
	public static function on_site( string $url ): bool {
		try {
			return '' !== self::site_target( $url, '' );
		} catch ( \WorkOS\Native\Exception $e ) {
			return false;
		}
	}

	/**
	 * A redirect target that stays on this site; the admin otherwise.
	 *
	 * @param string      $target   Requested target.
	 * @param string|null $fallback Where to go otherwise (default: the admin).
	 */
	public static function safe_target( string $target, ?string $fallback = null ): string {
		$fallback = $fallback ?? admin_url();
		if ( '' === $target || ! extension_ready() ) {
			return '' === $target ? $fallback : wp_validate_redirect( $target, $fallback );
		}
		/** This filter is documented in wp-includes/pluggable.php */
		$hosts = (array) apply_filters( 'allowed_redirect_hosts', array(), wp_parse_url( home_url(), PHP_URL_HOST ) );
		return \WorkOS\Native\Redirect::validate( $target, home_url( '/' ), $fallback, array_values( array_filter( $hosts, 'is_string' ) ) );
	}
}
