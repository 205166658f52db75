<?php
/**
 * The entitlement gate: only active members of this site's organization.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Api;
use WorkOS_WP\Compat\Reference;
use WorkOS_WP\Log;
use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Decides whether a WorkOS-authenticated person may enter.
 *
 * When WorkOS cannot be asked, the gate stays shut unless the site chose
 * `gate_fail_open`: letting a departed employee in is worse than a short
 * outage of sign-in.
 */
final class Gate {

	/**
	 * True when entitled (or the gate is off), else why not.
	 *
	 * @param string      $workos_id WorkOS user id.
	 * @param array       $claims    Verified access-token claims.
	 * @param string|null $org       The organization to check (a Login Profile's); null: the site's.
	 * @return true|\WP_Error
	 */
	public static function check( string $workos_id, array $claims, ?string $org = null ) {
		/** Whether sign-in requires an active membership (the reference plugin's filter). */
		if ( ! apply_filters( 'workos_entitlement_gate_enabled', Settings::flag( 'entitlement_gate' ) ) ) {
			return true;
		}
		$org = $org ?? Settings::get( 'organization_id' );
		if ( '' === $org ) {
			return new \WP_Error( 'gate_misconfigured', __( 'Sign-in here is limited to members of an organization, but the site does not say which one, so nobody can sign in. Please contact your site administrator.', 'workos' ) );
		}
		// A site's own rule (the reference plugin's `workos_entitlement_check`) decides when it answers.
		$decided = Reference::entitlement_check( $workos_id );
		if ( null !== $decided ) {
			return $decided ? true : new \WP_Error( 'filter_denied', __( 'Only members of this site\'s organization can sign in here. Sign in with another account, or contact your site administrator to get access.', 'workos' ) );
		}
		// WorkOS scopes a session to an organization only for its active members.
		if ( ( $claims['org_id'] ?? '' ) === $org ) {
			return true;
		}
		try {
			$page = Api::client()->listOrganizationMemberships(
				array(
					'user_id'         => $workos_id,
					'organization_id' => $org,
					'statuses'        => array( 'active' ),
				)
			);
		} catch ( \WorkOS\Native\Exception $e ) {
			// An organization id that is not one (a typo in the settings) is
			// refused before any call: as unverifiable as WorkOS refusing it.
			$down = $e instanceof \WorkOS\Native\ApiException && $e->isTransient();
			if ( $down && Settings::flag( 'gate_fail_open' ) ) {
				Log::event(
					'gate_failed_open',
					array(
						'workos_id' => $workos_id,
						'status'    => $e->getStatus(),
					)
				);
				return true;
			}
			return new \WP_Error( 'entitlement_unverifiable', __( 'Your organization membership could not be checked right now, so sign-in is paused. Please try again in a few minutes.', 'workos' ) );
		}
		foreach ( is_array( $page['data'] ?? null ) ? $page['data'] : array() as $membership ) {
			if ( is_array( $membership ) && 'active' === ( $membership['status'] ?? '' ) && ( $membership['organization_id'] ?? '' ) === $org ) {
				return true;
			}
		}
		return new \WP_Error( 'not_entitled', __( 'Only members of this site\'s organization can sign in here. Sign in with another account, or contact your site administrator to get access.', 'workos' ) );
	}
}
