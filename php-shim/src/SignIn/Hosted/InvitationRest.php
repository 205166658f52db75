<?php
/**
 * Invitations in the hosted login: the invitation an emailed link stands
 * for, and its acceptance — by choosing a password or by a social
 * provider — which signs the invitee in as a member of its organization.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Net;
use WorkOS_WP\Profiles\Profile;
use WorkOS_WP\SignIn\AuthKit;
use WorkOS_WP\SignIn\LoginLimits;
use WorkOS_WP\SignIn\SignIn;
use WorkOS_WP\Users\Memberships;

defined( 'ABSPATH' ) || exit;

/**
 * WorkOS holds invitations (sent by `wp workos invite` or WorkOS's
 * dashboard); the token in the link is the invitee's only credential until
 * they have an account, so it is checked with WorkOS on every use and
 * never trusted for more than the address it was sent to. Acceptance goes
 * through the one sign-in pipeline (Completion): WorkOS redeems the token
 * with the grant (`invitation_token`), which makes the person a member of
 * the invitation's organization before the session is issued.
 */
final class InvitationRest {

	/** What an invitation token looks like (WorkOS's are alphanumeric). */
	private const TOKEN = '/^[A-Za-z0-9_-]{1,128}$/D';

	/** Longest password and name accepted. */
	private const MAX_PASSWORD = 1024;
	private const MAX_NAME     = 100;

	/**
	 * The routes (AuthRest::FLOWS). `invitation/authorize-url` comes before
	 * the token route, which would otherwise take it for a token.
	 */
	public static function routes(): array {
		return array(
			'invitation/accept'                    => array( 'POST', 'accept' ),
			'invitation/authorize-url'             => array( 'GET', 'authorize_url' ),
			'invitation/(?P<token>[A-Za-z0-9_-]+)' => array( 'GET', 'lookup' ),
		);
	}

	/**
	 * GET invitation/{token}: `{email, organization_name}` of a pending
	 * invitation — what the invitee is shown, nothing more. Needs no nonce
	 * (the token is the secret), but only the shell's own kind of request
	 * (AuthRest::genuine()). With `profile`, that profile must take
	 * invitations.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function lookup( \WP_REST_Request $request ) {
		if ( ! AuthRest::genuine( $request ) ) {
			return AuthRest::invalid_nonce();
		}
		$ready = AuthRest::ready();
		if ( is_wp_error( $ready ) ) {
			return $ready;
		}
		$profile = null;
		if ( null !== $request->get_param( 'profile' ) ) {
			$profile = AuthRest::profile( $request );
			if ( is_wp_error( $profile ) ) {
				return $profile;
			}
			if ( ! self::enabled( $profile ) ) {
				return self::disabled();
			}
		}
		$token = self::token( $request->get_param( 'token' ) );
		if ( is_wp_error( $token ) ) {
			return $token;
		}
		$limited = AuthRest::take( array( array( 'invitation_lookup_ip', Net::client_ip() ) ) );
		if ( $limited ) {
			return $limited;
		}
		$invitation = self::pending( $token, $profile );
		if ( is_wp_error( $invitation ) ) {
			return $invitation;
		}
		$response = new \WP_REST_Response(
			array(
				'email'             => (string) $invitation['email'],
				'organization_name' => self::organization_name( (string) ( $invitation['organization_id'] ?? '' ) ),
			)
		);
		$response->header( 'Cache-Control', 'no-store, private' );
		return $response;
	}

	/**
	 * POST invitation/accept: `invitation_token`, `password` (and, for a
	 * new account, `first_name`, `last_name`), `redirect_to`. Without a
	 * WorkOS account for the invitation's address, one is created with that
	 * password — its address counts as verified: the token was sent there —;
	 * with one, the password must be that account's. Then WorkOS's password
	 * grant with the token, and the sign-in pipeline: the login result L, or
	 * a step-up the shell continues.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function accept( \WP_REST_Request $request ) {
		$profile = AuthRest::guard( $request, '' );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		if ( ! self::enabled( $profile ) ) {
			return self::disabled();
		}
		// A password only this profile's sign-in could not use is no way in here.
		if ( ! AuthRest::offers( $profile, 'password' ) ) {
			return AuthRest::method_disabled();
		}
		$token = self::token( $request->get_param( 'invitation_token' ) );
		if ( is_wp_error( $token ) ) {
			return $token;
		}
		$password = $request->get_param( 'password' );
		if ( ! is_string( $password ) || '' === $password || strlen( $password ) > self::MAX_PASSWORD ) {
			return AuthError::invalid_input( __( 'Choose a password.', 'workos' ) );
		}
		$names = array();
		foreach ( array( 'first_name', 'last_name' ) as $field ) {
			$value = $request->get_param( $field );
			if ( null !== $value && ( ! is_string( $value ) || strlen( $value ) > self::MAX_NAME ) ) {
				return AuthError::invalid_input( __( 'Names can be at most 100 characters long.', 'workos' ) );
			}
			$value = is_string( $value ) ? sanitize_text_field( $value ) : '';
			if ( '' !== $value ) {
				$names[ $field ] = $value;
			}
		}
		$target = AuthRest::redirect_to( $request );
		if ( is_wp_error( $target ) ) {
			return $target;
		}
		// Counted before WorkOS is asked anything: per client, and per
		// invitation (a forwarded link is no licence to guess an account's password).
		$limited = AuthRest::take(
			array(
				array( 'invitation_accept_ip', Net::client_ip() ),
				array( 'invitation_token', hash( 'sha256', $token ) ),
			)
		);
		if ( $limited ) {
			return $limited;
		}
		$invitation = self::pending( $token, $profile );
		if ( is_wp_error( $invitation ) ) {
			return $invitation;
		}
		$email   = (string) $invitation['email'];
		$created = self::create_user( $email, $password, $names );
		if ( is_wp_error( $created ) ) {
			return $created;
		}
		// An existing account's password is being guessed: the sign-in buckets of that account count it.
		$limits = $created ? array() : LoginLimits::password_limits( $email );
		return AuthRest::attempt(
			$profile,
			array(
				'grant_type'       => 'password',
				'email'            => $email,
				'password'         => $password,
				'invitation_token' => $token,
			),
			array(
				'limits'       => $limits,
				'wrong'        => array( 'invalid_credentials' ),
				'log'          => array(
					'method' => 'invitation',
					'login'  => substr( $email, 0, 100 ),
				),
				// Only the invitee holds the token: they may learn that their address has an account.
				'wrong_answer' => AuthError::make( 'workos_authkit_account_exists', __( 'There is already an account with this email address. Enter its password to accept the invitation.', 'workos' ), 401 ),
				'after'        => static function ( $auth, $answer ) use ( $invitation ) {
					if ( ! is_wp_error( $auth ) && $answer instanceof \WP_REST_Response && isset( $answer->get_data()['user'] ) ) {
						self::joined( $auth, $invitation );
					}
				},
				'target'       => $target,
			)
		);
	}

	/**
	 * GET invitation/authorize-url: `{authorize_url}` of a social sign-in
	 * (`provider`, one the profile offers) that accepts the invitation: its
	 * token rides in the signed, browser-bound state, and Callback hands it
	 * to WorkOS with the code. WorkOS accepts it only for the account whose
	 * address the invitation was sent to.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function authorize_url( \WP_REST_Request $request ) {
		$profile = AuthRest::profile( $request );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		if ( ! AuthRest::genuine( $request ) ) {
			return AuthRest::invalid_nonce();
		}
		$ready = AuthRest::ready();
		if ( is_wp_error( $ready ) ) {
			return $ready;
		}
		if ( ! self::enabled( $profile ) ) {
			return self::disabled();
		}
		$provider = $request->get_param( 'provider' );
		$provider = is_string( $provider ) ? $provider : '';
		if ( ! isset( AuthRest::PROVIDERS[ $provider ] ) ) {
			return AuthError::make( 'workos_authkit_unknown_provider', __( 'This sign-in provider is not known.', 'workos' ), 400 );
		}
		if ( ! AuthRest::offers( $profile, $provider ) ) {
			return AuthRest::method_disabled();
		}
		$token = self::token( $request->get_param( 'invitation_token' ) );
		if ( is_wp_error( $token ) ) {
			return $token;
		}
		$target = AuthRest::redirect_to( $request );
		if ( is_wp_error( $target ) ) {
			return $target;
		}
		$limited = AuthRest::take( array( array( 'invitation_lookup_ip', Net::client_ip() ) ) );
		if ( $limited ) {
			return $limited;
		}
		$invitation = self::pending( $token, $profile );
		if ( is_wp_error( $invitation ) ) {
			return $invitation;
		}
		try {
			$url = AuthKit::provider_url( AuthRest::PROVIDERS[ $provider ], $target, $profile->get_slug(), $token );
		} catch ( \WorkOS\Native\Exception $e ) {
			return AuthError::make( 'workos_not_configured', SignIn::misconfigured(), 503 );
		}
		$response = new \WP_REST_Response( array( 'authorize_url' => $url ) );
		$response->header( 'Cache-Control', 'no-store, private' );
		return $response;
	}

	/**
	 * The step the shell opens on for an invitation link
	 * (`?invitation_token=` on a profile's page or wp-login.php), as
	 * Shell::markup() context; none when the profile takes no invitations,
	 * signs in on AuthKit, or the link carries no usable token. The token is
	 * only passed on here: the step asks invitation/{token} what it is.
	 *
	 * @param Profile $profile The profile.
	 * @param array   $query   The request's query (unslashed).
	 * @return array{initial_step?: string, step_data?: array}
	 */
	public static function entry_step( Profile $profile, array $query ): array {
		$token = $query['invitation_token'] ?? null;
		if ( ! is_string( $token ) || 1 !== preg_match( self::TOKEN, $token ) || ! self::enabled( $profile ) || 'authkit_redirect' === $profile->get_mode() ) {
			return array();
		}
		return array(
			'initial_step' => 'invitation',
			'step_data'    => array( 'token' => $token ),
		);
	}

	/**
	 * The pending invitation `$token` stands for, or why there is none.
	 * For use by other flows too (sign-up's `require_invite`).
	 *
	 * @param string       $token   The token (format already checked).
	 * @param Profile|null $profile The profile it is used on: one that pins
	 *                              an organization takes only its invitations.
	 * @return array|\WP_Error The invitation (WorkOS's object).
	 */
	public static function pending( string $token, ?Profile $profile = null ) {
		try {
			$invitation = Api::client()->findInvitationByToken( $token );
		} catch ( \WorkOS\Native\ApiException $e ) {
			if ( $e->isTransient() ) {
				return AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 );
			}
			return self::not_found();
		} catch ( \WorkOS\Native\Exception $e ) {
			return AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 );
		}
		if ( ! is_string( $invitation['email'] ?? null ) || ( $invitation['token'] ?? $token ) !== $token ) {
			return self::not_found();
		}
		$state = (string) ( $invitation['state'] ?? '' );
		if ( 'pending' === $state && is_string( $invitation['expires_at'] ?? null ) && strtotime( $invitation['expires_at'] ) < time() ) {
			$state = 'expired';
		}
		switch ( $state ) {
			case 'pending':
				break;
			case 'accepted':
				return AuthError::make( 'workos_authkit_invitation_accepted', __( 'This invitation has already been accepted. Sign in with the account you created.', 'workos' ), 410 );
			case 'expired':
				return AuthError::make( 'workos_authkit_invitation_expired', __( 'This invitation has expired. Ask the person who invited you to send a new one.', 'workos' ), 410 );
			case 'revoked':
				return AuthError::make( 'workos_authkit_invitation_revoked', __( 'This invitation has been withdrawn. Ask the person who invited you if you should still join.', 'workos' ), 410 );
			default:
				return self::not_found();
		}
		$org    = is_string( $invitation['organization_id'] ?? null ) ? $invitation['organization_id'] : '';
		$pinned = $profile ? $profile->get_organization_id() : '';
		if ( '' !== $pinned && $org !== $pinned ) {
			// The sign-in would be refused after WorkOS had accepted the invitation: refuse first.
			return AuthError::make( 'workos_authkit_invitation_wrong_organization', __( 'This invitation is for another organization than this sign-in page. Open the link from the invitation email as it is.', 'workos' ), 403 );
		}
		return $invitation;
	}

	/**
	 * Whether the profile takes invitations (`invite_flow`, on by default).
	 *
	 * @param Profile $profile The profile.
	 */
	public static function enabled( Profile $profile ): bool {
		return false !== $profile->get( 'invite_flow', true );
	}

	/**
	 * The refusal when the profile takes no invitations.
	 */
	private static function disabled(): \WP_Error {
		return AuthError::make( 'workos_authkit_invitation_disabled', __( 'Invitations cannot be accepted on this sign-in page.', 'workos' ), 400 );
	}

	/**
	 * The answer for a token WorkOS does not know.
	 */
	private static function not_found(): \WP_Error {
		return AuthError::make( 'workos_authkit_invitation_not_found', __( 'This invitation link is not valid. Open the link from the invitation email again, or ask for a new invitation.', 'workos' ), 404 );
	}

	/**
	 * A token parameter, checked.
	 *
	 * @param mixed $token The parameter.
	 * @return string|\WP_Error
	 */
	private static function token( $token ) {
		if ( ! is_string( $token ) || 1 !== preg_match( self::TOKEN, $token ) ) {
			return AuthError::invalid_input( __( 'This invitation link is incomplete. Open the link from the invitation email again.', 'workos' ) );
		}
		return $token;
	}

	/**
	 * Creates the invitee's WorkOS account with their password: true when
	 * made, false when the address has one already.
	 *
	 * @param string $email    The invitation's address.
	 * @param string $password Their password.
	 * @param array  $names    first_name / last_name.
	 * @return bool|\WP_Error
	 */
	private static function create_user( string $email, string $password, array $names ) {
		try {
			Api::client()->createUser(
				array_merge(
					$names,
					array(
						'email'          => $email,
						'password'       => $password,
						// The link with the token was sent to this address.
						'email_verified' => true,
					)
				)
			);
			return true;
		} catch ( \WorkOS\Native\ApiException $e ) {
			if ( $e->isTransient() ) {
				return AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 );
			}
			$body   = $e->getBody();
			$errors = is_array( $body ) && is_array( $body['errors'] ?? null ) ? $body['errors'] : array();
			$codes  = array_merge( array( (string) $e->getErrorCode() ), array_map( static fn( $err ) => is_array( $err ) ? (string) ( $err['code'] ?? '' ) : '', $errors ) );
			if ( array_intersect( $codes, array( 'email_not_available', 'user_already_exists' ) ) ) {
				return false;
			}
			if ( array_intersect( $codes, array( 'password_strength_error', 'password_too_short', 'password_too_weak' ) ) ) {
				return AuthError::make( 'workos_authkit_weak_password', __( 'This password is too weak. Choose a longer one that is hard to guess.', 'workos' ), 400 );
			}
			Log::event(
				'login_failed',
				array(
					'reason' => 'invitation create user: ' . implode( ',', array_filter( $codes ) ),
					'method' => 'invitation',
					'login'  => substr( $email, 0, 100 ),
				)
			);
			return AuthError::make( 'workos_authkit_invitation_failed', __( 'Your account could not be created. Please try again; if this keeps happening, contact your site administrator.', 'workos' ), 400 );
		} catch ( \WorkOS\Native\Exception $e ) {
			return AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 );
		}
	}

	/**
	 * After an accepted invitation signed someone in: their membership of
	 * the invitation's organization is stored here at once (its webhook may
	 * have come before the WordPress user existed, or not at all), and
	 * `workos_invitation_accepted` fires.
	 *
	 * @param array $auth       WorkOS's authentication response.
	 * @param array $invitation The invitation.
	 */
	private static function joined( array $auth, array $invitation ): void {
		$workos_id = is_string( $auth['user']['id'] ?? null ) ? $auth['user']['id'] : '';
		$org       = is_string( $invitation['organization_id'] ?? null ) ? $invitation['organization_id'] : '';
		if ( '' !== $workos_id && '' !== $org ) {
			try {
				$page = Api::client()->listOrganizationMemberships(
					array(
						'user_id'         => $workos_id,
						'organization_id' => $org,
					)
				);
				foreach ( is_array( $page['data'] ?? null ) ? $page['data'] : array() as $membership ) {
					if ( is_array( $membership ) && ( $membership['organization_id'] ?? '' ) === $org ) {
						Memberships::upserted( $membership );
					}
				}
			} catch ( \WorkOS\Native\Exception $e ) {
				// The organization_membership.created webhook stores it later.
				unset( $e );
			}
		}
		if ( '' !== $org ) {
			Log::event(
				'membership_enrolled',
				array(
					'user_id'         => get_current_user_id(),
					'workos_id'       => $workos_id,
					'organization_id' => $org,
					'via'             => 'invitation',
				)
			);
		}
		/**
		 * Fires when someone accepted an invitation in the hosted login and is signed in.
		 *
		 * @param \WP_User $user       The WordPress user.
		 * @param array    $invitation WorkOS's invitation (id, email, organization_id …; no token).
		 */
		do_action( 'workos_invitation_accepted', wp_get_current_user(), array_diff_key( $invitation, array( 'token' => true ) ) );
	}

	/**
	 * The organization's name ('' for none, or when WorkOS cannot say).
	 *
	 * @param string $org Organization id ('' for none).
	 */
	private static function organization_name( string $org ): string {
		if ( '' === $org ) {
			return '';
		}
		try {
			$found = Api::client()->getOrganization( $org );
		} catch ( \WorkOS\Native\Exception $e ) {
			return '';
		}
		return is_string( $found['name'] ?? null ) ? $found['name'] : '';
	}
}
