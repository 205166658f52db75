<?php
/**
 * An admin's role change pushed back to WorkOS (setting `push_role_changes`),
 * through the role map read backwards.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

use WorkOS_WP\Api;
use WorkOS_WP\Later;
use WorkOS_WP\Log;
use WorkOS_WP\Settings;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * set_user_role → the membership's role in this site's organization.
 */
final class RolePush {

	/**
	 * set_user_role. Changes that came from WorkOS itself are not sent back.
	 *
	 * @param int    $user_id User id.
	 * @param string $role    New role.
	 */
	public static function on_set_user_role( $user_id, $role ): void {
		if ( RoleMap::is_quiet() || ! Settings::flag( 'push_role_changes' ) || ! extension_ready() || ! Settings::is_configured() ) {
			return;
		}
		$workos_id = (string) get_user_meta( (int) $user_id, Users::META_ID, true );
		$org       = Settings::get( 'organization_id' );
		$slug      = array_search( (string) $role, Settings::map( 'role_map' ), true );
		if ( '' === $workos_id || '' === $org || false === $slug ) {
			return;
		}
		Later::run(
			'role_push_' . $user_id,
			static function () use ( $user_id, $workos_id, $org, $slug ) {
				self::push( (int) $user_id, $workos_id, $org, (string) $slug );
			}
		);
	}

	/**
	 * Sets the membership's role slug at WorkOS.
	 *
	 * @param int    $user_id   WordPress user.
	 * @param string $workos_id WorkOS user.
	 * @param string $org       Organization.
	 * @param string $slug      Role slug.
	 */
	public static function push( int $user_id, string $workos_id, string $org, string $slug ): void {
		try {
			$client = Api::client();
			$page   = $client->listOrganizationMemberships(
				array(
					'user_id'         => $workos_id,
					'organization_id' => $org,
				)
			);
			$membership = is_array( $page['data'][0] ?? null ) ? $page['data'][0] : null;
			if ( ! $membership ) {
				Log::event( 'role_push_skipped', array( 'user_id' => $user_id, 'reason' => 'no_membership' ) );
				return;
			}
			$client->updateOrganizationMembership( (string) $membership['id'], $slug );
			Log::event(
				'role_pushed',
				array(
					'user_id'   => $user_id,
					'workos_id' => $workos_id,
					'role_slug' => $slug,
				)
			);
		} catch ( \WorkOS\Native\Exception $e ) {
			Log::event( 'role_push_failed', array( 'user_id' => $user_id, 'reason' => $e->getMessage() ) );
		}
	}
}
