<?php
/**
 * The hosted login's full-page entry points: `/workos/login/{profile}`, each
 * profile's own path, and wp-login.php in the `custom` login mode.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Profiles\Profile;
use WorkOS_WP\Profiles\ProfileRepository;
use WorkOS_WP\Profiles\Routing;
use WorkOS_WP\Settings;
use WorkOS_WP\SignIn\Redirects;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * The pages are recognised by their path, without rewrite rules (as the
 * OAuth callback is): add_hooks() tests the request URI for `/workos/login/`
 * and looks it up in the index of custom paths (the autoloaded option
 * INDEX_OPTION, kept here on `workos_login_profile_saved` / `_deleted`), so
 * an ordinary page view loads no file and runs no query for them. Every
 * answer — page, redirect, 404 — is marked uncacheable, CDNs included: it
 * depends on who asks and with which query.
 */
final class Entry {

	/** Path of the canonical route, under the site's home. */
	const PREFIX = 'workos/login/';

	/**
	 * Option: custom path => profile slug, autoloaded and always present (a
	 * missing option would cost a query on every page view). The name is
	 * spelt out in add_hooks() (workos.php's LOGIN_PATHS_OPTION).
	 */
	const INDEX_OPTION = 'workos_login_paths';

	/**
	 * wp_loaded, on a request add_hooks() took for a login page: the page of
	 * its profile; a 404 for `/workos/login/` with no such profile; nothing
	 * when the path is not ours after all (WordPress goes on).
	 */
	public static function serve(): void {
		$path      = self::request_path();
		$canonical = 0 === strpos( $path . '/', self::PREFIX );
		$slug      = null;
		if ( $canonical ) {
			$slug = trim( substr( $path, strlen( self::PREFIX ) ), '/' );
		} else {
			$index = get_option( self::INDEX_OPTION );
			if ( is_array( $index ) && isset( $index[ $path ] ) ) {
				$slug = (string) $index[ $path ];
			}
		}
		if ( null === $slug || ! extension_ready() || ! Settings::is_configured() ) {
			return;
		}
		$profile = ( '' !== $slug && sanitize_title( $slug ) === $slug ) ? ProfileRepository::find_by_slug( $slug ) : null;
		if ( ! $canonical && ( ! $profile || $profile->get_custom_path() !== $path ) ) {
			// The index is behind (a profile changed without the hooks): mend it,
			// and leave the path to WordPress.
			self::rebuild_index();
			return;
		}
		if ( ! $profile ) {
			self::not_found();
			return;
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- a URL, validated by Redirects before use.
		$requested = isset( $_GET['redirect_to'] ) && is_string( $_GET['redirect_to'] ) ? wp_unslash( $_GET['redirect_to'] ) : '';
		self::show( $profile, $requested, false );
	}

	/**
	 * login_form_login in the `custom` login mode (Login::on_login() has
	 * already left `?fallback=1`, POSTs and interim logins to WordPress):
	 * the profile Routing chooses, at its own path if it has one. Returns
	 * only when the chosen profile signs in on AuthKit — that profile, which
	 * the caller sends there (its pinned organization must hold) —; exits
	 * otherwise. WordPress's "check your email" notices are screens of their
	 * own (`checkemail`), never taken over.
	 */
	public static function take_over(): Profile {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- read-only routing of a GET request.
		// phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- a URL, validated by Redirects before use.
		$requested = isset( $_GET['redirect_to'] ) && is_string( $_GET['redirect_to'] ) ? wp_unslash( $_GET['redirect_to'] ) : '';
		$explicit  = isset( $_GET['workos_profile'] ) && is_string( $_GET['workos_profile'] ) ? sanitize_title( wp_unslash( $_GET['workos_profile'] ) ) : '';
		$reauth    = ! empty( $_GET['reauth'] );
		// phpcs:enable
		self::ensure_index();
		$profile = Routing::resolve( $explicit, Routing::context( '' !== $requested ? Redirects::safe_target( $requested ) : '' ) );
		if ( 'authkit_redirect' === $profile->get_mode() ) {
			return $profile;
		}
		if ( $reauth ) {
			// WordPress asks for the password again (an expired session, a
			// stale cookie): the old cookies go, as wp-login.php does.
			wp_clear_auth_cookie();
			wp_set_current_user( 0 );
		}
		$path = $profile->get_custom_path();
		if ( '' !== $path ) {
			self::no_cache();
			// phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized, WordPress.Security.ValidatedSanitizedInput.MissingUnslash -- passed on as it came; wp_safe_redirect() sanitizes the URL.
			$query = isset( $_SERVER['QUERY_STRING'] ) ? (string) $_SERVER['QUERY_STRING'] : '';
			wp_safe_redirect( self::path_url( $path ) . ( '' !== $query ? '?' . $query : '' ), 302, 'WorkOS' );
			exit;
		}
		self::show( $profile, $requested, true );
		return $profile; // show() exits; kept for the signature.
	}

	/**
	 * The page of `$profile`: AuthKit for an `authkit_redirect` profile, the
	 * visitor's destination when they are signed in already, else the shell.
	 *
	 * @param Profile $profile    The profile.
	 * @param string  $requested  The redirect_to asked for ('' for none).
	 * @param bool    $login_page Whether this is wp-login.php (which has sent its own headers).
	 */
	public static function show( Profile $profile, string $requested, bool $login_page ): void {
		self::no_cache();
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only.
		$query = wp_unslash( $_GET );
		if ( 'authkit_redirect' === $profile->get_mode() ) {
			self::to_authkit( $requested, $profile );
		}
		if ( is_user_logged_in() ) {
			wp_safe_redirect( self::signed_in_target( $profile, $requested, $query ), 302, 'WorkOS' );
			exit;
		}
		if ( ! $login_page ) {
			send_frame_options_header();
			status_header( 200 );
		}
		header( 'Referrer-Policy: strict-origin-when-cross-origin' );
		$context = array( 'redirect_to' => self::shell_redirect( $profile, $requested, $query ) );
		// A reset link or wp-login.php's lost-password screen opens on the reset's step.
		$context += Reset::entry_context( $profile, $query, $login_page );
		// An invitation link opens on the invitation's step.
		$context += InvitationRest::entry_step( $profile, $query );
		// wp-login.php?action=register (or `workos_action=signup`) opens on the sign-up step.
		$context += Signup::entry_step( $profile, $query );
		Shell::page( self::client_profile( $profile ), $context );
		exit;
	}

	/**
	 * The shell of `$profile` opened on a step of a sign-in already under
	 * way elsewhere (the MFA step after /workos/callback, Completion::at_callback()):
	 * `$data` is that step's answer, its tokens bound to this browser.
	 *
	 * @param Profile $profile The profile.
	 * @param string  $target  Where the sign-in goes (validated).
	 * @param string  $step    The shell's step name.
	 * @param array   $data    What the step needs.
	 */
	public static function show_step( Profile $profile, string $target, string $step, array $data ): void {
		self::no_cache();
		send_frame_options_header();
		status_header( 200 );
		// The address still carries WorkOS's (spent) code: no page it links to is told.
		header( 'Referrer-Policy: no-referrer' );
		Shell::page(
			self::client_profile( $profile ),
			array(
				'redirect_to'  => $target,
				'initial_step' => $step,
				'step_data'    => $data,
			)
		);
		exit;
	}

	/**
	 * Where a visitor who is signed in already goes (REFERENCE-API §9.4):
	 * the profile's post_login_redirect, else the validated redirect_to,
	 * else the dashboard — with the forwarded query arguments.
	 *
	 * @param Profile $profile   The profile.
	 * @param string  $requested The redirect_to asked for ('' for none).
	 * @param array   $query     The request's query (unslashed).
	 */
	public static function signed_in_target( Profile $profile, string $requested, array $query ): string {
		$target = self::base_target( $profile, $requested );
		$target = '' !== $target ? $target : admin_url();
		return self::forward( $profile, $target, $query );
	}

	/**
	 * The redirect_to the shell is given: the validated redirect_to asked
	 * for ('' for none: the sign-in then chooses, see Completion::target()).
	 * When the profile forwards query arguments, they are added here, on the
	 * server, to where the visitor will land (its post_login_redirect first,
	 * as in signed_in_target()).
	 *
	 * @param Profile $profile   The profile.
	 * @param string  $requested The redirect_to asked for ('' for none).
	 * @param array   $query     The request's query (unslashed).
	 */
	public static function shell_redirect( Profile $profile, string $requested, array $query ): string {
		$target = '' !== $requested ? Redirects::safe_target( $requested ) : '';
		if ( ! $profile->get( 'forward_query_args', false ) || ! QueryArgs::pick( $query ) ) {
			return $target;
		}
		$base = self::base_target( $profile, $requested );
		return self::forward( $profile, '' !== $base ? $base : admin_url(), $query );
	}

	/**
	 * The profile as the shell receives it (REFERENCE-API §9.3): every field
	 * but the storage id, the branding resolved to the logo's URL.
	 *
	 * @param Profile $profile The profile.
	 */
	public static function client_profile( Profile $profile ): array {
		$data     = $profile->to_array();
		$branding = isset( $data['branding'] ) && is_array( $data['branding'] ) ? $data['branding'] : array();
		unset( $data['id'] );
		$data['branding'] = array(
			'logo_url'      => self::logo_url( $branding ),
			'primary_color' => (string) ( $branding['primary_color'] ?? '' ),
			'heading'       => (string) ( $branding['heading'] ?? '' ),
			'subheading'    => (string) ( $branding['subheading'] ?? '' ),
		);
		/**
		 * Filters the hosted login's resolved branding (the reference's
		 * `workos_authkit_branding`). An empty `logo_url` shows no logo; the
		 * colour is checked and everything escaped when the card is printed.
		 *
		 * @param array   $branding logo_url, primary_color, heading, subheading.
		 * @param Profile $profile  The Login Profile.
		 */
		$filtered = apply_filters( 'workos_authkit_branding', $data['branding'], $profile );
		foreach ( array_keys( $data['branding'] ) as $key ) {
			// Only the four keys, only text: a filter cannot hand the card markup or arrays.
			if ( is_array( $filtered ) && isset( $filtered[ $key ] ) && is_scalar( $filtered[ $key ] ) ) {
				$data['branding'][ $key ] = (string) $filtered[ $key ];
			}
		}
		// The app puts it in an <img src> too: http(s) (or relative) only, never `javascript:`.
		$data['branding']['logo_url'] = esc_url_raw( $data['branding']['logo_url'] );
		return $data;
	}

	/**
	 * Sends WordPress's and CDNs' "do not cache" headers.
	 */
	public static function no_cache(): void {
		if ( headers_sent() ) {
			return;
		}
		nocache_headers();
		header( 'CDN-Cache-Control: no-store' );
		header( 'Cloudflare-CDN-Cache-Control: no-store' );
	}

	/**
	 * Rewrites the index of custom paths (on `workos_login_profile_saved`,
	 * `workos_login_profile_deleted`, schema installs, and when it is found
	 * behind); autoloaded, because add_hooks() reads it on every request.
	 */
	public static function rebuild_index(): void {
		$index = array();
		if ( extension_ready() ) {
			foreach ( ProfileRepository::custom_paths() as $slug => $path ) {
				$index[ strtolower( $path ) ] = $slug;
			}
		}
		if ( get_option( self::INDEX_OPTION ) !== $index ) {
			update_option( self::INDEX_OPTION, $index, true );
		}
	}

	/**
	 * Creates the index when it is missing (a site updated without
	 * reactivating the plugin); cheap when it exists.
	 */
	public static function ensure_index(): void {
		$all = wp_load_alloptions();
		if ( ! isset( $all[ self::INDEX_OPTION ] ) ) {
			self::rebuild_index();
		}
	}

	/**
	 * The URL of a custom path.
	 *
	 * @param string $path Custom path (`members`, `team/login`).
	 */
	public static function path_url( string $path ): string {
		return home_url( user_trailingslashit( $path ) );
	}

	/**
	 * The canonical URL of a profile's page.
	 *
	 * @param string $slug Profile slug.
	 */
	public static function route_url( string $slug ): string {
		return home_url( user_trailingslashit( self::PREFIX . $slug ) );
	}

	/**
	 * The request's path under the site's home, without slashes around it,
	 * in lower case (custom paths are), still percent-encoded.
	 */
	private static function request_path(): string {
		// phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized, WordPress.Security.ValidatedSanitizedInput.MissingUnslash -- only compared with known paths.
		$uri  = isset( $_SERVER['REQUEST_URI'] ) ? (string) $_SERVER['REQUEST_URI'] : '';
		$path = strtolower( trim( (string) wp_parse_url( $uri, PHP_URL_PATH ), '/' ) );
		$base = strtolower( trim( (string) wp_parse_url( home_url(), PHP_URL_PATH ), '/' ) );
		if ( '' !== $base ) {
			if ( 0 !== strpos( $path . '/', $base . '/' ) ) {
				return '';
			}
			$path = trim( substr( $path, strlen( $base ) ), '/' );
		}
		return $path;
	}

	/**
	 * The profile's post_login_redirect, else the requested target, both
	 * kept on this site; '' when neither.
	 *
	 * @param Profile $profile   The profile.
	 * @param string  $requested The redirect_to asked for ('' for none).
	 */
	private static function base_target( Profile $profile, string $requested ): string {
		$post = (string) $profile->get( 'post_login_redirect', '' );
		if ( '' !== $post ) {
			$url = Redirects::site_target( $post, '' );
			if ( '' !== $url ) {
				return $url;
			}
		}
		return '' !== $requested ? Redirects::safe_target( $requested ) : '';
	}

	/**
	 * `$target` with the request's forwardable query arguments when the
	 * profile forwards them, validated again once they are on it.
	 *
	 * @param Profile $profile The profile.
	 * @param string  $target  Validated target.
	 * @param array   $query   The request's query (unslashed).
	 */
	private static function forward( Profile $profile, string $target, array $query ): string {
		if ( ! $profile->get( 'forward_query_args', false ) ) {
			return $target;
		}
		$args = QueryArgs::pick( $query );
		return $args ? Redirects::safe_target( QueryArgs::append( $target, $args ) ) : $target;
	}

	/**
	 * The logo the branding asks for: the site icon (else WordPress's logo),
	 * a media-library image, or none.
	 *
	 * @param array $branding Stored branding.
	 */
	private static function logo_url( array $branding ): string {
		$mode = (string) ( $branding['logo_mode'] ?? 'default' );
		if ( 'none' === $mode ) {
			return '';
		}
		if ( 'custom' === $mode ) {
			$url = wp_get_attachment_image_url( (int) ( $branding['logo_attachment_id'] ?? 0 ), 'medium' );
			return is_string( $url ) ? $url : '';
		}
		$icon = get_site_icon_url( 192 );
		return '' !== $icon ? $icon : admin_url( 'images/wordpress-logo.svg' );
	}

	/**
	 * To AuthKit (an `authkit_redirect` profile), keeping the redirect_to;
	 * to wp-login.php when no AuthKit URL can be made (it says why).
	 *
	 * @param string  $requested The redirect_to asked for ('' for none).
	 * @param Profile $profile   The profile (its slug and organization go along).
	 */
	private static function to_authkit( string $requested, Profile $profile ): void {
		try {
			$url = \WorkOS_WP\SignIn\AuthKit::authorization_url( $requested, '', '', $profile );
		} catch ( \WorkOS\Native\Exception $e ) {
			wp_safe_redirect( wp_login_url( '' !== $requested ? Redirects::safe_target( $requested ) : '' ), 302, 'WorkOS' );
			exit;
		}
		// The AuthKit host is not ours, so wp_safe_redirect() would refuse it.
		wp_redirect( $url, 302, 'WorkOS' ); // phpcs:ignore WordPress.Security.SafeRedirect.wp_redirect_wp_redirect
		exit;
	}

	/**
	 * A 404 from WordPress's own template (the `error` query var), uncached.
	 */
	private static function not_found(): void {
		add_filter(
			'request',
			static function () {
				return array( 'error' => '404' );
			}
		);
		add_action( 'send_headers', array( self::class, 'no_cache' ) );
	}
}
