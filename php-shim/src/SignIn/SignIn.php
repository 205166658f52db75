<?php
/**
 * What every WorkOS sign-in goes through, whichever way it started (AuthKit
 * callback or headless form): step-ups, the pinned organization, the user
 * link, deactivation, the entitlement gate and role mapping.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Net;
use WorkOS_WP\Settings;
use WorkOS_WP\Users\EmailKey;
use WorkOS_WP\Users\RoleMap;
use WorkOS_WP\Users\Sessions;
use WorkOS_WP\Users\Users;

defined( 'ABSPATH' ) || exit;

/**
 * Turns WorkOS authentication into a WordPress user allowed in, or a WP_Error.
 */
final class SignIn {

	public const ORG_SELECTION_GRANT = 'urn:workos:oauth:grant-type:organization-selection';

	/** Session-token key holding the WorkOS session id (for logout). */
	public const SESSION_SID = 'workos_sid';

	/**
	 * What to attach to the WordPress session created next.
	 *
	 * @var array
	 */
	private static $session_info = array();

	/**
	 * The organization this sign-in is pinned to when it is not the site's
	 * (a Login Profile's `organization_id`); null means the site's setting.
	 *
	 * @var string|null
	 */
	private static $pinned = null;

	/**
	 * Pins the sign-in in progress to a Login Profile's organization ('' or
	 * null: the site-wide `organization_id`). Organization selection, the
	 * entitlement gate and enrolment then all use it.
	 *
	 * @param string|null $organization_id The profile's organization.
	 */
	public static function pin_organization( ?string $organization_id ): void {
		self::$pinned = null === $organization_id || '' === $organization_id ? null : $organization_id;
	}

	/**
	 * The organization this sign-in is pinned to: the profile's, else the site's ('' = none).
	 */
	public static function pinned_organization(): string {
		return self::$pinned ?? Settings::get( 'organization_id' );
	}

	/**
	 * Runs one authenticate call and answers WorkOS's step-ups: the pinned
	 * organization is chosen (enrolling the authenticated local user when
	 * allowed), the rest become clear errors.
	 *
	 * @param callable $attempt Performs the grant; returns WorkOS's answer.
	 * @return array|\WP_Error The authentication response.
	 */
	public static function exchange( callable $attempt ) {
		try {
			return $attempt();
		} catch ( \WorkOS\Native\ApiException $e ) {
			if ( 'organization_selection_required' === $e->getErrorCode() ) {
				return self::select_organization( $e->getBody() );
			}
			return self::api_error( $e );
		}
	}

	/**
	 * exchange() for a grant of `POST /user_management/authenticate`, sent
	 * with the visitor's address and agent for WorkOS's own records.
	 *
	 * @param array $grant grant_type and its fields.
	 * @return array|\WP_Error
	 */
	public static function grant( array $grant ) {
		$grant['ip_address'] = Net::client_ip();
		$grant['user_agent'] = Net::user_agent();
		// The hosted login's Radar action token, where WorkOS takes one (Radar).
		$grant = Hosted\Radar::signals( $grant );
		return self::exchange(
			static function () use ( $grant ) {
				return Api::client()->authenticate( $grant );
			}
		);
	}

	/**
	 * A WorkOS refusal as a WP_Error with a message the visitor can act on:
	 * what happened and the next step — retry, another account, or the site
	 * administrator when only they can help. WorkOS's own code stays the
	 * error's code (for the log and the callers), never in the message.
	 *
	 * @param \WorkOS\Native\ApiException $e The refusal.
	 */
	public static function api_error( \WorkOS\Native\ApiException $e ): \WP_Error {
		$code = (string) $e->getErrorCode();
		$body = $e->getBody();
		// No answer, a server error, or WorkOS asking us to come back later
		// (429, still so after the client's retries): WorkOS judged nothing,
		// so this is an outage — where allowed, the WordPress password may
		// still be tried, and no guess is counted.
		if ( $e->isTransient() ) {
			return new \WP_Error( 'workos_unreachable', self::unreachable(), array( 'status' => 502 ) );
		}
		switch ( $code ) {
			case 'email_verification_required':
				$email = is_array( $body ) && is_string( $body['email'] ?? null ) ? $body['email'] : '';
				/* translators: %s: email address. */
				$message = sprintf( __( 'Your email address must be verified first. WorkOS has sent a code to %s.', 'workos' ), esc_html( $email ) );
				break;
			case 'mfa_enrollment':
				$message = __( 'Your account must set up multi-factor authentication. Sign in through the WorkOS sign-in page to enrol a second factor.', 'workos' );
				break;
			case 'mfa_challenge':
				$message = __( 'Your account uses multi-factor authentication. Sign in through the WorkOS sign-in page to enter your code.', 'workos' );
				break;
			case 'organization_membership_not_found':
				$code    = 'pinned_org_mismatch';
				$message = self::not_a_member();
				break;
			case 'invalid_credentials':
				$message = __( 'The email address or password is incorrect. Check them and try again.', 'workos' );
				break;
			case 'invalid_grant':
				// The AuthKit code was already used or has expired (back button, a slow tab).
				$message = __( 'This sign-in has expired or was already completed. Please sign in again.', 'workos' );
				break;
			case 'invalid_client':
			case 'unauthorized_client':
			case 'unauthorized':
			case 'invalid_api_key':
				// WorkOS does not accept this site's credentials: nothing the visitor can do.
				$message = self::misconfigured();
				break;
			default:
				$message = __( 'WorkOS did not accept this sign-in. Please sign in again; if this keeps happening, contact your site administrator.', 'workos' );
		}
		return new \WP_Error(
			'' !== $code ? $code : 'workos_refused',
			$message,
			array(
				'status' => 403,
				'body'   => is_array( $body ) ? $body : array(),
			)
		);
	}

	/**
	 * organization_selection_required: with a pinned organization, choose it;
	 * if the authenticated user is not a member but has an account here, enrol
	 * them and choose again.
	 *
	 * @param mixed $body The step-up body (pending token, organizations, user).
	 * @return array|\WP_Error
	 */
	private static function select_organization( $body ) {
		$pinned  = self::pinned_organization();
		$pending = is_array( $body ) && is_string( $body['pending_authentication_token'] ?? null ) ? $body['pending_authentication_token'] : '';
		if ( '' === $pinned || '' === $pending ) {
			// WorkOS's step-up rides along: the hosted login lets the person pick one
			// (Hosted\Completion); the other paths show the message.
			return new \WP_Error(
				'organization_selection_required',
				__( 'Your account belongs to several organizations and this site is not set up for one of them, so you could not be signed in. Please contact your site administrator.', 'workos' ),
				array(
					'status' => 403,
					'body'   => is_array( $body ) ? $body : array(),
				)
			);
		}
		$grant = array(
			'grant_type'                   => self::ORG_SELECTION_GRANT,
			'pending_authentication_token' => $pending,
			'organization_id'              => $pinned,
		);
		try {
			return Api::client()->authenticate( $grant );
		} catch ( \WorkOS\Native\ApiException $e ) {
			if ( 'organization_membership_not_found' !== $e->getErrorCode() ) {
				return self::api_error( $e );
			}
		}
		$workos_user = is_array( $body['user'] ?? null ) ? $body['user'] : array();
		$local       = Users::find_linked( is_string( $workos_user['id'] ?? null ) ? $workos_user['id'] : '' );
		// Only the person WorkOS just authenticated, already known here, may be
		// enrolled — never when membership is what the gate checks, and only
		// when the organization vouches for their address (may_enrol()).
		$refusal = ! $local ? 'not_local' : ( Settings::flag( 'entitlement_gate' ) ? 'entitlement_gate' : '' );
		if ( '' === $refusal ) {
			$eligible = self::may_enrol( $workos_user, $pinned );
			if ( $eligible instanceof \WorkOS\Native\ApiException ) {
				return self::api_error( $eligible );
			}
			$refusal = true === $eligible ? '' : (string) $eligible;
		}
		if ( '' !== $refusal ) {
			Log::event(
				'login_denied',
				array(
					'reason'    => 'pinned_org_mismatch',
					'detail'    => $refusal,
					'user_id'   => $local ? $local->ID : 0,
					'workos_id' => $workos_user['id'] ?? '',
				)
			);
			return new \WP_Error( 'pinned_org_mismatch', self::not_a_member(), array( 'status' => 403 ) );
		}
		try {
			Api::client()->createOrganizationMembership( (string) $workos_user['id'], $pinned );
			Log::event(
				'membership_enrolled',
				array(
					'user_id'         => $local->ID,
					'workos_id'       => $workos_user['id'],
					'organization_id' => $pinned,
				)
			);
			return Api::client()->authenticate( $grant );
		} catch ( \WorkOS\Native\ApiException $e ) {
			return self::api_error( $e );
		}
	}

	/**
	 * Whether a person may be enrolled into the pinned organization: the
	 * `org_enrolment` setting allows it (`verified_domain`, the default) and
	 * their verified email's domain is exactly one of the organization's
	 * domains in state `verified` — the organization's own word that it owns
	 * that domain's mailboxes. Domains are compared in the canonical form of
	 * EmailKey::of(). Anything else — a pending or legacy domain, a
	 * subdomain, an unverified email — enrols nobody.
	 *
	 * @param array  $workos_user The WorkOS user of the step-up.
	 * @param string $org_id      The pinned organization.
	 * @return true|string|\WorkOS\Native\ApiException True, why not, or the failed lookup.
	 */
	private static function may_enrol( array $workos_user, string $org_id ) {
		if ( 'verified_domain' !== Settings::get( 'org_enrolment' ) ) {
			return 'enrolment_off';
		}
		if ( true !== ( $workos_user['email_verified'] ?? null ) ) {
			return 'email_not_verified';
		}
		$domain = self::domain_of( EmailKey::of( $workos_user['email'] ?? null ) );
		if ( '' === $domain ) {
			return 'invalid_email';
		}
		try {
			$org = Api::client()->getOrganization( $org_id );
		} catch ( \WorkOS\Native\ApiException $e ) {
			return $e;
		} catch ( \WorkOS\Native\Exception $e ) {
			return 'organization_lookup_failed';
		}
		foreach ( is_array( $org['domains'] ?? null ) ? $org['domains'] : array() as $entry ) {
			if ( is_array( $entry ) && 'verified' === ( $entry['state'] ?? '' ) && is_string( $entry['domain'] ?? null )
				&& self::domain_of( EmailKey::of( 'postmaster@' . $entry['domain'] ) ) === $domain ) {
				return true;
			}
		}
		return 'domain_not_verified';
	}

	/**
	 * The domain of a canonical address ('' for none).
	 *
	 * @param string|null $key A EmailKey::of().
	 */
	private static function domain_of( ?string $key ): string {
		$at = null === $key ? false : strrpos( $key, '@' );
		return false === $at ? '' : substr( $key, $at + 1 );
	}

	/**
	 * After WorkOS accepted the person: the linked (or created) WordPress
	 * user, unless deactivated, not entitled, or the token does not verify.
	 *
	 * @param array  $auth   WorkOS's authentication response.
	 * @param string $method How they signed in (`authkit`, `headless`).
	 * @return \WP_User|\WP_Error
	 */
	public static function complete( array $auth, string $method ) {
		try {
			$claims = TokenPolicy::verify( (string) ( $auth['access_token'] ?? '' ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			// No keys to check the token with is an outage, not a bad token.
			if ( $e instanceof \WorkOS\Native\TokenException && 'jwks_unavailable' === $e->getReason() ) {
				return self::deny( 'workos_unreachable', self::unreachable(), array( 'detail' => $e->getMessage() ) );
			}
			return self::deny( 'invalid_token', self::unverifiable(), array( 'detail' => $e->getMessage() ) );
		}
		$workos_user = is_array( $auth['user'] ?? null ) ? $auth['user'] : array();
		if ( ( $workos_user['id'] ?? null ) !== ( $claims['sub'] ?? '' ) ) {
			return self::deny( 'invalid_token', self::unverifiable() );
		}
		\WorkOS_WP\Compat\Reference::remember( $auth ); // For the reference plugin's hooks (workos_user_authenticated…).
		// A Login Profile that pins an organization admits its members only:
		// the session must be that organization's (organization selection
		// chose it, or it is the person's only one).
		$org      = is_string( $auth['organization_id'] ?? null ) ? $auth['organization_id'] : ( is_string( $claims['org_id'] ?? null ) ? $claims['org_id'] : '' );
		$admitted = self::admit( (string) $workos_user['id'], null === self::$pinned || $org === self::$pinned, $org, $claims );
		if ( is_wp_error( $admitted ) ) {
			return $admitted;
		}

		$mapped = RoleMap::from_claims( $claims );
		$user   = Users::resolve( $workos_user, '' !== $mapped ? $mapped : Settings::get( 'default_role' ), $method );
		if ( is_wp_error( $user ) ) {
			return self::deny( $user->get_error_code(), $user->get_error_message() );
		}
		if ( Users::is_deactivated( $user->ID ) ) {
			return self::deny( 'account_deactivated', self::deactivated(), array( 'user_id' => $user->ID ) );
		}
		if ( '' !== $mapped ) {
			RoleMap::apply( $user, $mapped );
		}

		// How WorkOS authenticated them (SSO, Password, GoogleOAuth…) and for which organization.
		$auth_method = is_string( $auth['authentication_method'] ?? null ) ? $auth['authentication_method'] : '';
		return self::signed_in( $user, (string) $workos_user['id'], $method, $auth_method, $org, is_string( $claims['sid'] ?? null ) ? $claims['sid'] : '' );
	}

	/**
	 * What both completions ask before anything is written, once WorkOS has
	 * vouched for the person: a Login Profile's pinned organization, then
	 * the entitlement gate — someone the site does not let in (or cannot
	 * check right now) gets no account and no link.
	 *
	 * @param string $workos_id WorkOS user id.
	 * @param bool   $in_pinned Whether they are in the pinned organization (true when none is pinned).
	 * @param string $org       The organization to name when they are not.
	 * @param array  $claims    The access token's claims (none: the gate asks WorkOS).
	 * @return true|\WP_Error
	 */
	private static function admit( string $workos_id, bool $in_pinned, string $org, array $claims ) {
		if ( ! $in_pinned ) {
			return self::deny(
				'pinned_org_mismatch',
				self::not_a_member(),
				array(
					'workos_id'       => $workos_id,
					'organization_id' => $org,
				)
			);
		}
		$entitled = Gate::check( $workos_id, $claims, self::pinned_organization() );
		if ( is_wp_error( $entitled ) ) {
			return self::deny( $entitled->get_error_code(), $entitled->get_error_message(), array( 'workos_id' => $workos_id ) );
		}
		return true;
	}

	/**
	 * The end both completions share: the WorkOS session id kept for the
	 * WordPress session about to open (Logout revokes it), and one `login`
	 * activity event.
	 *
	 * @param \WP_User $user        The user signing in.
	 * @param string   $workos_id   Their WorkOS user id.
	 * @param string   $method      How they signed in (`authkit`, `headless`, `passkey` …).
	 * @param string   $auth_method How WorkOS (or this site) authenticated them.
	 * @param string   $org         The session's organization ('' for none).
	 * @param string   $sid         The WorkOS session id ('' for none).
	 */
	private static function signed_in( \WP_User $user, string $workos_id, string $method, string $auth_method, string $org, string $sid ): \WP_User {
		self::$session_info = array( self::SESSION_SID => $sid );
		add_filter( 'attach_session_information', array( self::class, 'attach_session_information' ) );
		Log::event(
			'login',
			array(
				'user_id'         => $user->ID,
				'workos_id'       => $workos_id,
				'method'          => $method,
				'auth_method'     => $auth_method,
				'organization_id' => $org,
			)
		);
		return $user;
	}

	/**
	 * A person this site verified itself (a passkey, which WorkOS has no
	 * ceremony for) as the linked WordPress user, through the same rules as
	 * complete(): deactivation, the WorkOS account still there, the pinned
	 * organization and the entitlement gate (asked live: there is no access
	 * token whose claims could answer), the activity log. No token means no
	 * role claim: the role stays as the last WorkOS sign-in mapped it.
	 *
	 * @param \WP_User $user      The linked user the credential belongs to.
	 * @param string   $workos_id Their linked WorkOS user id.
	 * @param string   $method    How they signed in (`passkey`).
	 * @return \WP_User|\WP_Error
	 */
	public static function complete_verified( \WP_User $user, string $workos_id, string $method ) {
		if ( Users::is_deactivated( $user->ID ) ) {
			return self::deny( 'account_deactivated', self::deactivated(), array( 'user_id' => $user->ID ) );
		}
		try {
			$workos_user = Api::client()->getUser( $workos_id );
			// A profile's pinned organization holds whatever the gate says (the
			// gate may check another organization: the site's).
			$member = null === self::$pinned ? true : self::is_member( $workos_id, self::$pinned );
		} catch ( \WorkOS\Native\Exception $e ) {
			if ( $e instanceof \WorkOS\Native\ApiException && 404 === $e->getStatus() ) {
				return self::deny( 'workos_user_missing', self::unverifiable(), array( 'user_id' => $user->ID ) );
			}
			return self::deny( 'workos_unreachable', self::unreachable(), array( 'detail' => $e->getMessage() ) );
		}
		if ( ( $workos_user['id'] ?? '' ) !== $workos_id ) {
			return self::deny( 'invalid_token', self::unverifiable() );
		}
		// With no claims the gate asks WorkOS for an active membership (of the pinned organization).
		$admitted = self::admit( $workos_id, $member, (string) self::$pinned, array() );
		if ( is_wp_error( $admitted ) ) {
			return $admitted;
		}
		return self::signed_in( $user, $workos_id, $method, 'Passkey', self::pinned_organization(), '' );
	}

	/**
	 * Whether a WorkOS user is an active member of an organization (asked live).
	 *
	 * @param string $workos_id WorkOS user id.
	 * @param string $org       Organization id.
	 * @throws \WorkOS\Native\Exception When WorkOS cannot be asked.
	 */
	private static function is_member( string $workos_id, string $org ): bool {
		$page = Api::client()->listOrganizationMemberships(
			array(
				'user_id'         => $workos_id,
				'organization_id' => $org,
				'statuses'        => array( 'active' ),
			)
		);
		foreach ( is_array( $page['data'] ?? null ) ? $page['data'] : array() as $membership ) {
			if ( is_array( $membership ) && 'active' === ( $membership['status'] ?? '' ) && ( $membership['organization_id'] ?? '' ) === $org ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The end of every browser sign-in this plugin completes itself (AuthKit
	 * callback, emailed-code steps; their Flow is already cleared): cookie,
	 * `wp_login`, then the page the redirect rules choose (Redirects).
	 *
	 * @param \WP_User $user   Who signed in.
	 * @param string   $target The redirect the visitor asked for ('' = none).
	 * @return never
	 */
	public static function finish( \WP_User $user, string $target = '' ): void {
		self::establish( $user );
		wp_safe_redirect( Redirects::after_sign_in( $user, $target ) );
		exit;
	}

	/**
	 * The WordPress session of a completed sign-in, on the current response:
	 * current user, auth cookies, `wp_login` (finish() redirects after it;
	 * the hosted login's REST API answers JSON after it).
	 *
	 * @param \WP_User $user Who signed in.
	 */
	public static function establish( \WP_User $user ): void {
		wp_set_current_user( $user->ID );
		// Parallel sign-ins of one person must not drop each other's session.
		Sessions::serialize();
		wp_set_auth_cookie( $user->ID, false, is_ssl() );
		/** This action is documented in wp-includes/user.php */
		do_action( 'wp_login', $user->user_login, $user );
	}

	/**
	 * attach_session_information: remember the WorkOS session in the
	 * WordPress session, so logout can revoke it.
	 *
	 * @param array $info Session information.
	 */
	public static function attach_session_information( array $info ): array {
		return array_merge( $info, array_filter( self::$session_info ) );
	}

	/**
	 * WorkOS did not answer: the visitor's to retry.
	 */
	public static function unreachable(): string {
		return __( 'WorkOS could not be reached, so you cannot be signed in right now. Please try again in a few minutes.', 'workos' );
	}

	/**
	 * WorkOS refuses this site's own credentials or settings.
	 */
	public static function misconfigured(): string {
		return __( 'Single sign-on is not set up correctly on this site, so you could not be signed in. Please contact your site administrator.', 'workos' );
	}

	/**
	 * The account is not in the organization this site serves.
	 */
	public static function not_a_member(): string {
		return __( 'Your account is not a member of the organization this site belongs to. Sign in with another account, or contact your site administrator to get access.', 'workos' );
	}

	/**
	 * An account deactivated here (by an administrator or the directory).
	 */
	public static function deactivated(): string {
		return __( 'This account has been deactivated. If you think this is a mistake, contact your site administrator.', 'workos' );
	}

	/**
	 * WorkOS's answer does not verify: a clock, key or client ID problem of
	 * the site (the detail is in the activity log).
	 */
	private static function unverifiable(): string {
		return __( 'This site could not verify the answer from WorkOS, so you were not signed in. Please contact your site administrator.', 'workos' );
	}

	/**
	 * A refusal, logged.
	 *
	 * @param string $code    Machine-readable reason.
	 * @param string $message What the visitor reads.
	 * @param array  $context Log details.
	 */
	private static function deny( string $code, string $message, array $context = array() ): \WP_Error {
		Log::event( 'login_denied', array_merge( array( 'reason' => $code ), $context ) );
		return new \WP_Error( $code, $message, array( 'status' => 403 ) );
	}
}
