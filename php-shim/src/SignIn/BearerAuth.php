<?php
/**
 * REST API authentication with WorkOS access tokens:
 * `Authorization: Bearer <access token>` on /wp-json/*.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Log;
use WorkOS_WP\Settings;
use WorkOS_WP\Users\Users;
use function WorkOS_WP\extension_ready;

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
	 * Whether this request is being served by the REST API. WordPress defines
	 * REST_REQUEST only once it routes a request to the REST server (after
	 * parse_request), and re-determines the current user there; a
	 * `?rest_route=` on any other script (admin-ajax.php, admin-post.php,
	 * wp-admin pages) never gets that far, so a token cannot sign anyone in
	 * to them.
	 */
	private static function is_rest_request(): bool {
		return defined( 'REST_REQUEST' ) && REST_REQUEST;
	}

	/**
	 * determine_current_user: the token's user, when nothing else decided.
	 * WordPress asks once early (before it knows the request is for the REST
	 * API: not ours to answer) and again from the REST server.
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
		$user = self::user_for( $token );
		if ( is_wp_error( $user ) ) {
			self::$error = $user;
			return $user_id;
		}
		self::$error = null;
		return $user->ID;
	}

	/**
	 * The WordPress user a token stands for, under the same rules as a
	 * sign-in: a token issued for this site (audience, issuer), of this
	 * site's organization when it has one, to a linked user who is not
	 * deactivated and passes the members-only gate.
	 *
	 * @param string $token The bearer token.
	 * @return \WP_User|\WP_Error
	 */
	public static function user_for( string $token ) {
		try {
			$claims = TokenPolicy::verify( $token );
		} catch ( \WorkOS\Native\TokenException $e ) {
			return self::refuse( 'workos_invalid_token', sprintf( /* translators: %s: reason. */ __( 'The access token is invalid: %s', 'workos' ), $e->getMessage() ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::refuse( 'workos_token_unverifiable', __( 'The access token could not be verified.', 'workos' ) );
		}
		$workos_id = is_string( $claims['sub'] ?? null ) ? $claims['sub'] : '';
		// A site that serves an organization accepts only sessions WorkOS
		// scoped to it: WorkOS issues those to its active members alone.
		$org = Settings::get( 'organization_id' );
		if ( '' !== $org && ( $claims['org_id'] ?? null ) !== $org ) {
			return self::refuse( 'workos_wrong_organization', __( 'The access token is not for this site\'s organization.', 'workos' ), array( 'workos_id' => $workos_id ) );
		}
		$user = Users::find_linked( $workos_id );
		if ( ! $user ) {
			return self::refuse( 'workos_unknown_user', __( 'No user of this site is linked to this WorkOS user.', 'workos' ) );
		}
		if ( Users::is_deactivated( $user->ID ) ) {
			return self::refuse( 'workos_user_deactivated', __( 'This account is deactivated.', 'workos' ), array( 'user_id' => $user->ID ) );
		}
		// The members-only gate of every sign-in applies to tokens too.
		$entitled = Gate::check( $workos_id, $claims );
		if ( is_wp_error( $entitled ) ) {
			return self::refuse( $entitled->get_error_code(), $entitled->get_error_message(), array( 'user_id' => $user->ID ) );
		}
		return $user;
	}

	/**
	 * A refused token as a WordPress-style 401; refusals that are about a
	 * person (not a malformed token) are logged.
	 *
	 * @param string $code    Machine-readable reason.
	 * @param string $message What the client reads.
	 * @param array  $context Log details (none: not logged).
	 */
	private static function refuse( string $code, string $message, array $context = array() ): \WP_Error {
		if ( $context ) {
			Log::event( 'bearer_denied', array_merge( array( 'reason' => $code ), $context ) );
		}
		return new \WP_Error( $code, $message, array( 'status' => 401 ) );
	}

	/**
	 * rest_authentication_errors: report a refused token as a 401. The REST
	 * server forgets the early "nobody" answer before it asks for errors, so
	 * for a request with a Bearer token the user is determined (again) here
	 * if nothing has asked yet. Other requests are left exactly as they are.
	 *
	 * @param \WP_Error|null|true $result Result so far.
	 * @return \WP_Error|null|true
	 */
	public static function authentication_errors( $result ) {
		if ( ! empty( $result ) || '' === self::token() ) {
			return $result;
		}
		wp_get_current_user();
		return self::$error ? self::$error : $result;
	}
}
