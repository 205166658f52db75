<?php
/**
 * REST API authentication with WorkOS access tokens:
 * `Authorization: Bearer <access token>` on /wp-json/*.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * Maps a verified access token to its linked WordPress user.
 */
final class BearerAuth {

	/**
	 * Why the presented token was refused, reported by rest_authentication_errors.
	 *
	 * @var \WP_Error|null
	 */
	private static $error = null;

	/**
	 * The bearer token of this request, if it is a REST request carrying one.
	 * Cheap enough to run on every request: two string checks.
	 */
	public static function token(): string {
		$header = isset( $_SERVER['HTTP_AUTHORIZATION'] ) ? (string) $_SERVER['HTTP_AUTHORIZATION'] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		if ( '' === $header && isset( $_SERVER['REDIRECT_HTTP_AUTHORIZATION'] ) ) {
			$header = (string) $_SERVER['REDIRECT_HTTP_AUTHORIZATION']; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		}
		if ( 0 !== strncasecmp( $header, 'Bearer ', 7 ) ) {
			return '';
		}
		return trim( substr( $header, 7 ) );
	}

	/**
	 * Whether this request is for the REST API.
	 */
	private static function is_rest_request(): bool {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended
		if ( isset( $_GET['rest_route'] ) ) {
			return true;
		}
		$uri    = isset( $_SERVER['REQUEST_URI'] ) ? (string) wp_parse_url( (string) $_SERVER['REQUEST_URI'], PHP_URL_PATH ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		$prefix = trailingslashit( (string) wp_parse_url( home_url( '/' ), PHP_URL_PATH ) ) . rest_get_url_prefix() . '/';
		return 0 === strpos( trailingslashit( $uri ), $prefix );
	}

	/**
	 * determine_current_user: the token's user, when nothing else decided.
	 *
	 * @param int|false $user_id User found so far.
	 * @return int|false
	 */
	public static function determine_user( $user_id ) {
		if ( $user_id || ! self::is_rest_request() ) {
			return $user_id;
		}
		$token = self::token();
		if ( '' === $token || ! extension_ready() || ! Settings::is_configured() ) {
			return $user_id;
		}
		try {
			$claims = Api::client()->verifyAccessToken( $token, self::expectations() );
		} catch ( \WorkOS\Native\TokenException $e ) {
			self::$error = new \WP_Error( 'workos_invalid_token', sprintf( /* translators: %s: reason. */ __( 'The access token is invalid: %s', 'workos' ), $e->getMessage() ), array( 'status' => 401 ) );
			return $user_id;
		} catch ( \WorkOS\Native\Exception $e ) {
			self::$error = new \WP_Error( 'workos_token_unverifiable', __( 'The access token could not be verified.', 'workos' ), array( 'status' => 401 ) );
			return $user_id;
		}
		$user = Users::find_linked( is_string( $claims['sub'] ?? null ) ? $claims['sub'] : '' );
		if ( ! $user ) {
			self::$error = new \WP_Error( 'workos_unknown_user', __( 'No user of this site is linked to this WorkOS user.', 'workos' ), array( 'status' => 401 ) );
			return $user_id;
		}
		if ( Users::is_deactivated( $user->ID ) ) {
			self::$error = new \WP_Error( 'workos_user_deactivated', __( 'This account is deactivated.', 'workos' ), array( 'status' => 401 ) );
			return $user_id;
		}
		return $user->ID;
	}

	/**
	 * rest_authentication_errors: report a refused token as a 401.
	 *
	 * @param \WP_Error|null|true $result Result so far.
	 * @return \WP_Error|null|true
	 */
	public static function authentication_errors( $result ) {
		if ( ! empty( $result ) ) {
			return $result;
		}
		return self::$error ? self::$error : $result;
	}

	/**
	 * What a token must satisfy besides its signature.
	 */
	public static function expectations(): array {
		$expect = array();
		$issuer = defined( 'WORKOS_TOKEN_ISSUER' ) ? (string) WORKOS_TOKEN_ISSUER : '';
		if ( '' !== $issuer ) {
			$expect['issuer'] = $issuer;
		}
		return $expect;
	}
}
