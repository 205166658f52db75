<?php
/**
 * wp-login.php: send visitors to AuthKit.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * Starts the AuthKit redirect flow from wp-login.php.
 */
final class Login {

	/** Cookie that binds a sign-in flow to this browser. */
	public const BINDING_COOKIE = 'workos_auth_binding';

	/** How long a started sign-in stays valid, in seconds. */
	public const FLOW_TTL = 600;

	/**
	 * On wp-login.php. Plain sign-in views go to AuthKit (redirect mode);
	 * registration and lost-password go to WorkOS unless WordPress passwords
	 * are allowed; `?fallback=1` shows WordPress's own form when they are.
	 * POSTed forms are judged by the authenticate filter (PasswordLogin), and
	 * everything is left to WordPress when the extension is missing.
	 */
	public static function on_login_init(): void {
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return;
		}
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- read-only routing of GET requests.
		$action = isset( $_REQUEST['action'] ) ? sanitize_key( wp_unslash( $_REQUEST['action'] ) ) : 'login';
		if ( 'logout' === $action ) {
			Logout::capture();
			return;
		}
		if ( Confirmation::ACTION === $action ) {
			Confirmation::handle();
			return;
		}
		if ( EmailVerification::ACTION === $action ) {
			EmailVerification::handle();
			return;
		}
		if ( 'GET' !== ( $_SERVER['REQUEST_METHOD'] ?? 'GET' ) || isset( $_GET['interim-login'] ) ) {
			return;
		}
		$fallback  = Settings::flag( 'allow_password_fallback' );
		$requested = isset( $_GET['redirect_to'] ) ? (string) wp_unslash( $_GET['redirect_to'] ) : '';
		$hint      = isset( $_GET['login_hint'] ) ? sanitize_email( wp_unslash( $_GET['login_hint'] ) ) : '';
		$reauth    = ! empty( $_GET['reauth'] );
		$loggedout = isset( $_GET['loggedout'] );
		$bypass    = ! empty( $_GET['fallback'] ) && $fallback;
		// phpcs:enable

		$screen = '';
		switch ( $action ) {
			case 'login':
				if ( $bypass || 'headless' === Settings::get( 'login_mode' ) ) {
					return;
				}
				break;
			case 'register':
				if ( $fallback ) {
					return;
				}
				$screen = 'sign-up';
				break;
			case 'lostpassword':
			case 'retrievepassword':
				// AuthKit's page offers the reset: the password lives at WorkOS.
				if ( $fallback ) {
					return;
				}
				break;
			default:
				return;
		}

		// Straight back to AuthKit after signing out would sign the visitor in
		// again through their WorkOS session; land them on the site instead.
		if ( $loggedout ) {
			wp_safe_redirect( home_url( '/' ) );
			exit;
		}
		if ( is_user_logged_in() && ! $reauth ) {
			wp_safe_redirect( self::safe_target( $requested ) );
			exit;
		}
		try {
			$url = self::authorization_url( $requested, $hint, $screen );
		} catch ( \WorkOS\Native\Exception $e ) {
			// A broken configuration must not lock everyone out: say so and
			// let WordPress show its own form.
			add_filter(
				'wp_login_errors',
				static function ( $errors ) use ( $e ) {
					$errors->add( 'workos_unavailable', esc_html__( 'WorkOS sign-in is unavailable: ', 'workos' ) . esc_html( $e->getMessage() ) );
					return $errors;
				}
			);
			return;
		}
		nocache_headers();
		// The AuthKit host is not ours, so wp_safe_redirect() would refuse it.
		wp_redirect( $url ); // phpcs:ignore WordPress.Security.SafeRedirect.wp_redirect_wp_redirect
		exit;
	}

	/**
	 * Builds the authorize URL with a signed, browser-bound state and PKCE,
	 * the configured provider / organization / connection, and hints.
	 *
	 * @param string $requested The redirect_to the visitor asked for ('' = none).
	 * @param string $hint      An email to prefill.
	 * @param string $screen    `sign-up` to open AuthKit's registration.
	 */
	public static function authorization_url( string $requested, string $hint, string $screen = '' ): string {
		$binding = self::binding( true );
		$flow    = bin2hex( random_bytes( 16 ) );
		$state   = \WorkOS\Native\State::issue(
			Settings::state_secret(),
			$binding,
			array(
				'f' => $flow,
				// '' means "none asked": role-based redirects may then choose.
				'r' => '' === $requested ? '' : self::safe_target( $requested ),
			),
			self::FLOW_TTL
		);
		$params  = array(
			'redirect_uri'   => Api::callback_url(),
			'state'          => $state,
			'code_challenge' => \WorkOS\Native\Pkce::challenge( self::verifier( $binding, $flow ) ),
		);
		$provider = Settings::get( 'provider' );
		foreach ( array( 'connection_id', 'organization_id' ) as $pin ) {
			if ( '' !== Settings::get( $pin ) ) {
				$params[ $pin ] = Settings::get( $pin );
			}
		}
		// A connection decides the identity provider by itself.
		if ( ! isset( $params['connection_id'] ) ) {
			$params['provider'] = $provider;
		}
		if ( '' !== $hint ) {
			$params['login_hint'] = $hint;
		}
		if ( '' !== $screen && 'authkit' === ( $params['provider'] ?? '' ) ) {
			$params['screen_hint'] = $screen;
		}
		return Api::client()->authorizationUrl( $params );
	}

	/**
	 * The PKCE verifier of a flow. It is derived, not stored: only this server
	 * (with its secret) and this browser (with its cookie) can recompute it,
	 * and it never appears in a URL.
	 *
	 * @param string $binding The browser's binding secret.
	 * @param string $flow    The flow id carried in the state.
	 */
	public static function verifier( string $binding, string $flow ): string {
		$mac = hash_hmac( 'sha256', 'pkce|' . $binding . '|' . $flow, Settings::state_secret(), true );
		return rtrim( strtr( base64_encode( $mac ), '+/', '-_' ), '=' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
	}

	/**
	 * The browser's binding secret, created on demand. Only a value this
	 * server issued counts: the cookie carries the secret and its MAC under
	 * the site's state key, so a value planted in the browser (by a sibling
	 * subdomain, a plain-HTTP page or a script) is ignored and replaced.
	 *
	 * @param bool $create Whether to set a new cookie when there is none.
	 */
	public static function binding( bool $create ): string {
		$name    = self::binding_cookie_name();
		$current = isset( $_COOKIE[ $name ] ) && is_string( $_COOKIE[ $name ] ) ? $_COOKIE[ $name ] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- checked against its MAC below.
		if ( 1 === preg_match( '/^([a-f0-9]{64})\.([a-f0-9]{64})$/D', $current, $parts ) && hash_equals( self::binding_mac( $parts[1] ), $parts[2] ) ) {
			return $parts[1];
		}
		if ( ! $create ) {
			return '';
		}
		$binding = bin2hex( random_bytes( 32 ) );
		$value   = $binding . '.' . self::binding_mac( $binding );
		self::set_binding_cookie( $value, time() + self::FLOW_TTL );
		$_COOKIE[ $name ] = $value;
		return $binding;
	}

	/**
	 * The MAC that shows a binding value was issued by this site.
	 *
	 * @param string $binding The random part of the cookie.
	 */
	private static function binding_mac( string $binding ): string {
		return hash_hmac( 'sha256', 'binding|' . $binding, Settings::state_secret() );
	}

	/**
	 * Forgets the binding once a flow is complete.
	 */
	public static function clear_binding(): void {
		self::set_binding_cookie( '', time() - YEAR_IN_SECONDS );
		unset( $_COOKIE[ self::binding_cookie_name() ] );
	}

	/**
	 * The binding cookie's name. Over HTTPS it has the `__Host-` prefix:
	 * browsers then accept it only from this very host, over HTTPS, for the
	 * whole site and without a Domain — no other subdomain and no plain-HTTP
	 * response can set or overwrite it.
	 */
	public static function binding_cookie_name(): string {
		return ( is_ssl() ? '__Host-' : '' ) . self::BINDING_COOKIE;
	}

	/**
	 * The binding cookie's attributes. SameSite=Lax: it must come back on the
	 * top-level redirect from WorkOS, and on nothing cross-site that is not a
	 * navigation. Over HTTPS, what `__Host-` requires: Secure, Path=/, no Domain.
	 *
	 * @param int $expires Unix expiry.
	 */
	public static function binding_cookie_options( int $expires ): array {
		$https = is_ssl();
		return array(
			'expires'  => $expires,
			'path'     => $https || ! COOKIEPATH ? '/' : COOKIEPATH,
			'domain'   => $https || ! COOKIE_DOMAIN ? '' : COOKIE_DOMAIN,
			'secure'   => $https,
			'httponly' => true,
			'samesite' => 'Lax',
		);
	}

	/**
	 * Sets the binding cookie.
	 *
	 * @param string $value   Cookie value.
	 * @param int    $expires Unix expiry.
	 */
	private static function set_binding_cookie( string $value, int $expires ): void {
		if ( headers_sent() ) {
			return;
		}
		setcookie( self::binding_cookie_name(), $value, self::binding_cookie_options( $expires ) );
	}

	/**
	 * safe_target() for a setting or attribute that may be a site path
	 * (`/members/`) or a full URL.
	 *
	 * @param string $url Path or URL.
	 */
	public static function site_target( string $url ): string {
		$is_path = 0 === strpos( $url, '/' ) && 0 !== strpos( $url, '//' );
		return self::safe_target( $is_path ? home_url( $url ) : $url );
	}

	/**
	 * A redirect target that stays on this site; the admin otherwise.
	 *
	 * @param string $target Requested target.
	 */
	public static function safe_target( string $target ): string {
		$fallback = admin_url();
		if ( '' === $target || ! extension_ready() ) {
			return '' === $target ? $fallback : wp_validate_redirect( $target, $fallback );
		}
		/** This filter is documented in wp-includes/pluggable.php */
		$hosts = (array) apply_filters( 'allowed_redirect_hosts', array(), wp_parse_url( home_url(), PHP_URL_HOST ) );
		return \WorkOS\Native\Redirect::validate( $target, home_url( '/' ), $fallback, array_values( array_filter( $hosts, 'is_string' ) ) );
	}
}
