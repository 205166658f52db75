<?php
/**
 * "Send a password reset email" for an account: POST
 * /wp-json/workos/v1/admin/users/{id}/password-reset.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

use WorkOS_WP\Log;
use WorkOS_WP\Net;
use WorkOS_WP\Profiles\ProfileRepository;
use WorkOS_WP\Settings;
use WorkOS_WP\SignIn\Hosted\AuthRest;
use WorkOS_WP\SignIn\Hosted\Reset;
use WorkOS_WP\SignIn\Hosted\ResetRest;
use WorkOS_WP\SignIn\Redirects;
use WorkOS_WP\Throttle;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * The reference plugin's route (REFERENCE-API §6.1), WordPress REST cookie
 * authentication (X-WP-Nonce); whoever may edit the account (edit_user:
 * the person themselves, an administrator) may have WorkOS email its
 * address a reset link. The link is the one the hosted login's own "Forgot
 * your password?" sends (ResetRest::send()): it opens that login's reset
 * step, and `redirect_url` is where the reset returns to. The profile
 * (`profile`, a slug; the default one) must offer the reset.
 *
 * `{redirect_url?, profile?}` → `{ok:true, email_hint, profile, redirect_url}`.
 * Limited per client address and per account (Throttle rules
 * `pw_reset_admin_ip`, `pw_reset_admin_user`): nobody's inbox is flooded.
 */
final class PasswordResetRest {

	public const NAMESPACE = 'workos/v1';

	/** Longest redirect_url accepted (as ResetRest's). */
	private const MAX_REDIRECT = 2048;

	/**
	 * rest_api_init (REST requests under workos/v1/admin/users only).
	 */
	public static function register_routes(): void {
		register_rest_route(
			self::NAMESPACE,
			'/admin/users/(?P<id>\d+)/password-reset',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'send' ),
				'permission_callback' => array( self::class, 'permission' ),
				'args'                => array( 'id' => array( 'sanitize_callback' => 'absint' ) ),
			)
		);
	}

	/**
	 * Signed in and may edit the account.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public static function permission( \WP_REST_Request $request ) {
		$current = get_current_user_id();
		if ( ! $current || ! current_user_can( 'edit_user', (int) $request['id'] ) ) {
			return new \WP_Error( 'workos_forbidden', __( 'You may not reset this account\'s password.', 'workos' ), array( 'status' => $current ? 403 : 401 ) );
		}
		return true;
	}

	/**
	 * POST admin/users/{id}/password-reset.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function send( \WP_REST_Request $request ) {
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return new \WP_Error( 'workos_unavailable', __( 'WorkOS is not available on this site right now.', 'workos' ), array( 'status' => 503 ) );
		}
		$user = self::user( $request );
		if ( is_wp_error( $user ) ) {
			return $user;
		}
		$slug    = $request->get_param( 'profile' );
		$slug    = is_string( $slug ) && '' !== $slug ? sanitize_title( $slug ) : ProfileRepository::DEFAULT_SLUG;
		$profile = ProfileRepository::find_by_slug( $slug );
		if ( ! $profile ) {
			return ProfileRepository::not_found();
		}
		if ( ! Reset::offered( $profile ) ) {
			return new \WP_Error( 'workos_reset_disabled', __( 'This login profile does not offer a password reset.', 'workos' ), array( 'status' => 400 ) );
		}
		$target = self::redirect_url( $request );
		if ( is_wp_error( $target ) ) {
			return $target;
		}
		$limits  = array(
			array( 'pw_reset_admin_ip', Net::client_ip() ),
			array( 'pw_reset_admin_user', (string) $user->ID ),
		);
		$limited = AuthRest::take( $limits );
		if ( $limited ) {
			return $limited;
		}
		try {
			ResetRest::send( $user->user_email, $target );
		} catch ( \WorkOS\Native\ApiException $e ) {
			Throttle::refund( $limits ); // Nothing was sent.
			return self::refused( $e, $user->ID );
		} catch ( \WorkOS\Native\Exception $e ) {
			Throttle::refund( $limits );
			return new \WP_Error( 'workos_unreachable', __( 'WorkOS could not be reached. Try again in a moment.', 'workos' ), array( 'status' => 502 ) );
		}
		Log::event(
			'password_reset.admin_sent',
			array(
				'user_id'   => $user->ID,
				'workos_id' => EmailChange::linked_id( $user->ID ),
				'by'        => get_current_user_id(),
				'profile'   => $profile->get_slug(),
			)
		);
		$response = new \WP_REST_Response(
			array(
				'ok'           => true,
				'email_hint'   => EmailChange::mask( $user->user_email ),
				'profile'      => $profile->get_slug(),
				'redirect_url' => $target,
			)
		);
		$response->header( 'Cache-Control', 'no-store, private' );
		return $response;
	}

	/**
	 * The account the route names: it exists, is linked to WorkOS, has an address.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_User|\WP_Error
	 */
	private static function user( \WP_REST_Request $request ) {
		$id = (int) $request['id'];
		if ( $id <= 0 ) {
			return new \WP_Error( 'workos_invalid_user', __( 'No such user.', 'workos' ), array( 'status' => 400 ) );
		}
		$user = get_user_by( 'id', $id );
		if ( ! $user ) {
			return new \WP_Error( 'workos_user_not_found', __( 'No such user.', 'workos' ), array( 'status' => 404 ) );
		}
		if ( '' === EmailChange::linked_id( $user->ID ) ) {
			return new \WP_Error( 'workos_user_not_linked', __( 'This account is not linked to WorkOS: its password is reset the WordPress way.', 'workos' ), array( 'status' => 409 ) );
		}
		if ( ! is_email( $user->user_email ) ) {
			return new \WP_Error( 'workos_user_missing_email', __( 'This account has no email address to send a reset link to.', 'workos' ), array( 'status' => 409 ) );
		}
		return $user;
	}

	/**
	 * `redirect_url`: '' or a URL on this site; anything else is refused.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return string|\WP_Error
	 */
	private static function redirect_url( \WP_REST_Request $request ) {
		$target = $request->get_param( 'redirect_url' );
		if ( null === $target || '' === $target ) {
			return '';
		}
		$safe = is_string( $target ) && strlen( $target ) <= self::MAX_REDIRECT ? Redirects::site_target( $target, '' ) : '';
		if ( '' === $safe ) {
			return new \WP_Error( 'workos_invalid_redirect', __( 'The page to return to is not on this site.', 'workos' ), array( 'status' => 400 ) );
		}
		return $safe;
	}

	/**
	 * WorkOS's refusal, logged, as an answer.
	 *
	 * @param \WorkOS\Native\ApiException $e       The refusal.
	 * @param int                         $user_id The account.
	 */
	private static function refused( \WorkOS\Native\ApiException $e, int $user_id ): \WP_Error {
		Log::event(
			'password_reset_failed',
			array(
				'user_id' => $user_id,
				'reason'  => (string) $e->getErrorCode(),
			)
		);
		if ( $e->isTransient() ) {
			return new \WP_Error( 'workos_unreachable', __( 'WorkOS could not be reached. Try again in a moment.', 'workos' ), array( 'status' => 502 ) );
		}
		if ( 404 === $e->getStatus() ) {
			// Linked here, unknown there (deleted at WorkOS, or its address differs).
			return new \WP_Error( 'workos_user_not_found', __( 'WorkOS has no user with this account\'s email address.', 'workos' ), array( 'status' => 404 ) );
		}
		return new \WP_Error( 'workos_reset_failed', __( 'WorkOS did not send the reset email.', 'workos' ), array( 'status' => 502 ) );
	}
}
