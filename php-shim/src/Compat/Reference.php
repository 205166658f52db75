<?php
/**
 * The reference plugin's ("Integration with WorkOS") actions and filters,
 * fired from this plugin's own events.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Compat;

use WorkOS_WP\Settings;
use WorkOS_WP\Users\Links;
use WorkOS_WP\Users\UserMeta;

defined( 'ABSPATH' ) || exit;

/**
 * Code written for the reference plugin hooks its names and expects its
 * arguments (docs/REFERENCE-API.md §1). Our own names stay; this class
 * listens to them (`workos_activity`, `wp_login`) and fires the reference's
 * with the reference's arguments. It is registered on hooks that fire only
 * during sign-in and sync, so an ordinary page view never loads it.
 */
final class Reference {

	/**
	 * The WorkOS authentication response of the sign-in in progress (the
	 * reference hands it to its hooks as `$workos_response`); null when none.
	 *
	 * @var array|null
	 */
	private static $response = null;

	/**
	 * Our login_denied reasons that are the entitlement gate's, as the
	 * reference names them (it fires `workos_login_denied` for the gate only).
	 */
	private const GATE_REASONS = array(
		'not_entitled'  => 'no_active_membership',
		'filter_denied' => 'filter_denied',
	);

	/**
	 * SignIn::complete(): WorkOS accepted the person (the token verified);
	 * kept for the hooks fired later in this request.
	 *
	 * @param array $auth WorkOS's authentication response.
	 */
	public static function remember( array $auth ): void {
		self::$response = $auth;
	}

	/**
	 * The remembered response, when it is about this WorkOS user ('' = any).
	 *
	 * @param string $workos_id WorkOS user id.
	 */
	private static function response_for( string $workos_id = '' ): ?array {
		if ( null === self::$response ) {
			return null;
		}
		$id = self::$response['user']['id'] ?? null;
		return ( '' === $workos_id || $id === $workos_id ) ? self::$response : null;
	}

	/**
	 * The WordPress user linked to a WorkOS user (0 when none yet).
	 *
	 * @param string $workos_id WorkOS user id.
	 */
	private static function linked_id( string $workos_id ): int {
		$user = '' !== $workos_id ? Links::find( 'user', $workos_id ) : null;
		return $user ? (int) $user->ID : 0;
	}

	/**
	 * The gate's decision by the reference's `workos_entitlement_check`
	 * filter: null = no say (the membership lookup decides), true = allow,
	 * false = deny (`filter_denied`). Asked by Gate::check() once the gate
	 * is on and the organization known, before any lookup.
	 *
	 * @param string $workos_id WorkOS user id.
	 */
	public static function entitlement_check( string $workos_id ): ?bool {
		if ( ! has_filter( 'workos_entitlement_check' ) ) {
			return null;
		}
		$response = self::response_for( $workos_id ) ?? array( 'user' => array( 'id' => $workos_id ) );
		/**
		 * Decides the entitlement gate for one sign-in (the reference plugin's filter).
		 *
		 * @param null|bool $allowed   Null: look the membership up; truthy: allow; falsy: deny.
		 * @param int       $wp_user_id The linked WordPress user (0 when the person has no account yet:
		 *                             the gate decides before one is created).
		 * @param array     $response  WorkOS's authentication response.
		 */
		$decided = apply_filters( 'workos_entitlement_check', null, self::linked_id( $workos_id ), $response );
		return null === $decided ? null : (bool) $decided;
	}

	/**
	 * workos_activity: the reference's actions for our events.
	 *
	 * @param string $type    Our event type.
	 * @param array  $context Its details.
	 */
	public static function on_activity( $type, $context ): void {
		$type    = (string) $type;
		$context = is_array( $context ) ? $context : array();
		if ( Settings::flag( 'enable_activity_log' ) ) {
			/**
			 * Fires after an activity entry was written (the reference plugin's action).
			 *
			 * @param string $event_type Event type.
			 * @param array  $data       Its details.
			 */
			do_action( 'workos_activity_logged', $type, $context );
		}
		if ( 'user_created' === $type ) {
			self::user_created( (int) ( $context['user_id'] ?? 0 ), $context );
		} elseif ( 'login_denied' === $type && isset( self::GATE_REASONS[ $context['reason'] ?? '' ] ) ) {
			$workos_id = is_string( $context['workos_id'] ?? null ) ? $context['workos_id'] : '';
			/**
			 * Fires when the entitlement gate refuses a sign-in (the reference plugin's action).
			 *
			 * @param int    $wp_user_id The linked WordPress user (0 when none yet).
			 * @param string $reason     `no_active_membership` or `filter_denied`.
			 * @param array  $response   WorkOS's authentication response.
			 */
			do_action( 'workos_login_denied', self::linked_id( $workos_id ), self::GATE_REASONS[ $context['reason'] ], self::response_for( $workos_id ) ?? array() );
		}
	}

	/**
	 * The reference's `workos_user_created`: a WordPress user was created for
	 * a WorkOS (or directory) user.
	 *
	 * @param int   $user_id The new user.
	 * @param array $context Our event's details.
	 */
	private static function user_created( int $user_id, array $context ): void {
		$workos_id = is_string( $context['workos_id'] ?? null ) ? $context['workos_id'] : '';
		$response  = self::response_for( $workos_id );
		$person    = is_array( $response['user'] ?? null ) ? $response['user'] : null;
		if ( null === $person ) {
			// Created from the directory (or without a sign-in): what the account holds.
			$user   = get_user_by( 'id', $user_id );
			$person = array(
				'id'         => '' !== $workos_id ? $workos_id : (string) ( $context['directory_user_id'] ?? '' ),
				'email'      => $user ? $user->user_email : '',
				'first_name' => $user ? $user->first_name : '',
				'last_name'  => $user ? $user->last_name : '',
			);
		}
		/**
		 * Fires when a WordPress user was created for a WorkOS user (the reference plugin's action).
		 *
		 * @param int   $wp_user_id  The new user.
		 * @param array $workos_user The WorkOS user.
		 */
		do_action( 'workos_user_created', $user_id, $person );
	}

	/**
	 * wp_login (first): a sign-in this plugin completed is the reference's
	 * `workos_user_authenticated` (auth cookie set, before `wp_login`'s
	 * other listeners). WordPress-password sign-ins are not WorkOS's.
	 *
	 * @param string   $login Login name.
	 * @param \WP_User $user  Who signed in.
	 */
	public static function on_wp_login( $login, $user ): void {
		if ( ! $user instanceof \WP_User || null === self::$response ) {
			return;
		}
		$workos_id = (string) get_user_meta( $user->ID, UserMeta::USER_ID, true );
		$response  = self::response_for( $workos_id );
		if ( '' === $workos_id || null === $response ) {
			return;
		}
		self::$response = null; // Once per sign-in.
		/**
		 * Fires when someone signed in through WorkOS (the reference plugin's action).
		 *
		 * @param int   $wp_user_id Who signed in.
		 * @param array $response   WorkOS's authentication response (`user`, `access_token`,
		 *                          `refresh_token`, `organization_id`, …).
		 */
		do_action( 'workos_user_authenticated', $user->ID, $response );
	}
}
