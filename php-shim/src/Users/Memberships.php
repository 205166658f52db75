<?php
/**
 * Organization memberships: the local copy, and what they mean for access.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

use WorkOS_WP\Log;
use WorkOS_WP\Organizations;
use WorkOS_WP\Schema;
use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * organization_membership.* handlers: the membership is stored; for an
 * organization this site serves, it maps a role and, on a members-only
 * site, grants or ends access.
 */
final class Memberships {

	/** Deactivation marker: the site's organization ended the membership. */
	public const REASON = 'organization_membership';

	/**
	 * organization_membership.created / .updated: stored; for this site's
	 * organization the mapped role is given. Other organizations' roles
	 * mean nothing here (Organizations::serves()).
	 *
	 * On a members-only site (the entitlement gate), a membership of this
	 * site's organization that turns `inactive` takes access away exactly as
	 * a deleted WorkOS user does (Users::deprovision()); when it is active
	 * again, a deactivation made for that reason — and only that one — is
	 * lifted.
	 *
	 * @param array $data Membership (`role` is `{slug}`).
	 */
	public static function upserted( array $data ): string {
		global $wpdb;
		$id        = is_string( $data['id'] ?? null ) ? $data['id'] : '';
		$workos_id = is_string( $data['user_id'] ?? null ) ? $data['user_id'] : '';
		$org       = is_string( $data['organization_id'] ?? null ) ? $data['organization_id'] : '';
		if ( '' === $id || '' === $workos_id || '' === $org ) {
			return 'invalid';
		}
		$user   = Users::find_linked( $workos_id );
		$status = sanitize_key( (string) ( $data['status'] ?? 'active' ) );
		$slug   = is_string( $data['role']['slug'] ?? null ) ? $data['role']['slug'] : '';
		$mine   = Organizations::serves( $org );
		$role   = $mine && 'active' === $status ? RoleMap::resolve( $data ) : '';
		$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				'INSERT INTO ' . Schema::table( 'org_memberships' ) . ' (workos_id, user_id, workos_user_id, organization_id, role_slug, wp_role, status, updated_at) VALUES (%s, %d, %s, %s, %s, %s, %s, UTC_TIMESTAMP())
				ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), role_slug = VALUES(role_slug), wp_role = VALUES(wp_role), status = VALUES(status), updated_at = VALUES(updated_at)',
				$id,
				$user ? $user->ID : 0,
				$workos_id,
				$org,
				$slug,
				$role,
				$status
			)
		);
		if ( ! $user ) {
			return 'stored_no_linked_user';
		}
		if ( $mine && 'inactive' === $status ) {
			return self::membership_ended( $user, $id, 'inactive' ) ?? 'stored';
		}
		$reactivated = $mine && 'active' === $status && Users::reactivate( $user, self::REASON );
		if ( '' !== $role ) {
			RoleMap::apply( $user, $role );
			return 'role_applied';
		}
		return $reactivated ? 'reactivated' : 'stored';
	}

	/**
	 * organization_membership.deleted: the local row goes; on a members-only
	 * site, leaving this site's organization deprovisions (see
	 * upserted()).
	 *
	 * @param array $data Membership.
	 */
	public static function deleted( array $data ): string {
		global $wpdb;
		$id = is_string( $data['id'] ?? null ) ? $data['id'] : '';
		// The stored row fills in what a trimmed event might leave out.
		$row = '' === $id ? null : $wpdb->get_row( $wpdb->prepare( 'SELECT workos_user_id, organization_id FROM ' . Schema::table( 'org_memberships' ) . ' WHERE workos_id = %s', $id ), ARRAY_A ); // phpcs:ignore WordPress.DB
		$wpdb->delete( Schema::table( 'org_memberships' ), array( 'workos_id' => $id ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$org       = is_string( $data['organization_id'] ?? null ) ? $data['organization_id'] : (string) ( $row['organization_id'] ?? '' );
		$workos_id = is_string( $data['user_id'] ?? null ) ? $data['user_id'] : (string) ( $row['workos_user_id'] ?? '' );
		$user      = Organizations::serves( $org ) ? Users::find_linked( $workos_id ) : null;
		return ( $user ? self::membership_ended( $user, $id, 'deleted' ) : null ) ?? 'deleted';
	}

	/**
	 * A membership of this site's organization ended (deleted or inactive).
	 * On a members-only site that is the end of the person's access here:
	 * the deprovisioning action applies, unless another active membership of
	 * an organization this site serves is still on record.
	 *
	 * @param \WP_User $user The linked user.
	 * @param string   $id   The membership that ended.
	 * @param string   $how  `deleted` or `inactive` (logged).
	 * @return string|null The deprovisioning outcome, or null when nothing was done.
	 */
	private static function membership_ended( \WP_User $user, string $id, string $how ): ?string {
		global $wpdb;
		if ( ! Settings::flag( 'entitlement_gate' ) ) {
			return null;
		}
		$served = Organizations::served();
		$others = (int) $wpdb->get_var( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				'SELECT COUNT(*) FROM ' . Schema::table( 'org_memberships' ) . " WHERE user_id = %d AND workos_id <> %s AND status = 'active' AND organization_id IN (" . implode( ',', array_fill( 0, count( $served ), '%s' ) ) . ')',
				$user->ID,
				$id,
				...$served
			)
		);
		if ( $others > 0 ) {
			return null;
		}
		Log::event(
			'membership_ended',
			array(
				'user_id'       => $user->ID,
				'membership_id' => $id,
				'how'           => $how,
			)
		);
		return Users::deprovision( $user, self::REASON );
	}

	/**
	 * The local memberships of a WordPress user.
	 *
	 * @param int $user_id User id.
	 */
	public static function memberships_of( int $user_id ): array {
		global $wpdb;
		return (array) $wpdb->get_results( $wpdb->prepare( 'SELECT * FROM ' . Schema::table( 'org_memberships' ) . ' WHERE user_id = %d', $user_id ), ARRAY_A ); // phpcs:ignore WordPress.DB
	}
}
