<?php
/**
 * The local copy of WorkOS organizations and memberships.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * organization.* and organization_membership.* handlers, and lookups.
 */
final class Organizations {

	/** Deactivation marker: the site's organization ended the membership. */
	public const REASON = 'organization_membership';

	/**
	 * organization.created / organization.updated.
	 *
	 * @param array $data Organization.
	 */
	public static function upserted( array $data ): string {
		return self::store( $data ) ? 'stored' : 'invalid';
	}

	/**
	 * organization.deleted: the organization and its memberships go.
	 *
	 * @param array $data Organization.
	 */
	public static function deleted( array $data ): string {
		global $wpdb;
		$id = is_string( $data['id'] ?? null ) ? $data['id'] : '';
		$wpdb->delete( Schema::table( 'organizations' ), array( 'workos_id' => $id ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->delete( Schema::table( 'org_memberships' ), array( 'organization_id' => $id ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->delete( Schema::table( 'org_sites' ), array( 'organization_id' => $id ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		return 'deleted';
	}

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
	public static function membership_upserted( array $data ): string {
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
		$mine   = self::serves( $org );
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
	 * membership_upserted()).
	 *
	 * @param array $data Membership.
	 */
	public static function membership_deleted( array $data ): string {
		global $wpdb;
		$id = is_string( $data['id'] ?? null ) ? $data['id'] : '';
		// The stored row fills in what a trimmed event might leave out.
		$row = '' === $id ? null : $wpdb->get_row( $wpdb->prepare( 'SELECT workos_user_id, organization_id FROM ' . Schema::table( 'org_memberships' ) . ' WHERE workos_id = %s', $id ), ARRAY_A ); // phpcs:ignore WordPress.DB
		$wpdb->delete( Schema::table( 'org_memberships' ), array( 'workos_id' => $id ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$org       = is_string( $data['organization_id'] ?? null ) ? $data['organization_id'] : (string) ( $row['organization_id'] ?? '' );
		$workos_id = is_string( $data['user_id'] ?? null ) ? $data['user_id'] : (string) ( $row['workos_user_id'] ?? '' );
		$user      = self::serves( $org ) ? Users::find_linked( $workos_id ) : null;
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
		$served = self::served();
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
	 * The organizations this site serves: whose directories, memberships and
	 * role claims may change WordPress users here: the configured
	 * `organization_id` (per environment), the same one the entitlement gate
	 * checks; empty when none is configured, and then no directory event and
	 * no role claim changes anyone. Every organization check goes through
	 * here, so a list of organizations would need only this to change.
	 *
	 * @return string[]
	 */
	public static function served(): array {
		$org = Settings::get( 'organization_id' );
		return '' !== $org ? array( $org ) : array();
	}

	/**
	 * Whether this site serves the organization (see served()).
	 *
	 * @param string $org_id Organization id.
	 */
	public static function serves( string $org_id ): bool {
		return '' !== $org_id && in_array( $org_id, self::served(), true );
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

	/**
	 * Whether `$email`'s domain is a verified domain of the organization
	 * (from the local copy, else fetched from WorkOS once and kept).
	 *
	 * @param string $org_id Organization id.
	 * @param string $email  Email address.
	 */
	public static function domain_is_verified( string $org_id, string $email ): bool {
		// Both sides in the canonical form (lower case, IDNA ASCII): see Users::email_key().
		$key    = Users::email_key( $email );
		$domain = null === $key ? '' : (string) substr( (string) strrchr( $key, '@' ), 1 );
		if ( '' === $org_id || '' === $domain ) {
			return false;
		}
		global $wpdb;
		$stored = $wpdb->get_var( $wpdb->prepare( 'SELECT domains FROM ' . Schema::table( 'organizations' ) . ' WHERE workos_id = %s', $org_id ) ); // phpcs:ignore WordPress.DB
		if ( null === $stored ) {
			try {
				$org = Api::client()->request( 'GET', array( 'organizations', $org_id ) );
			} catch ( \WorkOS\Native\Exception $e ) {
				return false;
			}
			self::store( is_array( $org ) ? $org : array() );
			$stored = wp_json_encode( $org['domains'] ?? array() );
		}
		foreach ( (array) json_decode( (string) $stored, true ) as $d ) {
			if ( is_array( $d ) && is_string( $d['domain'] ?? null ) && Users::email_key( 'postmaster@' . $d['domain'] ) === 'postmaster@' . $domain && in_array( $d['state'] ?? '', array( 'verified', 'legacy_verified' ), true ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Writes an organization to the local table.
	 *
	 * @param array $data Organization.
	 */
	private static function store( array $data ): bool {
		global $wpdb;
		$id = is_string( $data['id'] ?? null ) ? $data['id'] : '';
		if ( '' === $id ) {
			return false;
		}
		$name    = sanitize_text_field( (string) ( $data['name'] ?? '' ) );
		$domains = array();
		foreach ( is_array( $data['domains'] ?? null ) ? $data['domains'] : array() as $d ) {
			if ( is_array( $d ) && is_string( $d['domain'] ?? null ) ) {
				$domains[] = array(
					'domain' => strtolower( $d['domain'] ),
					'state'  => sanitize_key( (string) ( $d['state'] ?? '' ) ),
				);
			}
		}
		$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				'INSERT INTO ' . Schema::table( 'organizations' ) . ' (workos_id, name, slug, domains, external_id, updated_at) VALUES (%s, %s, %s, %s, %s, UTC_TIMESTAMP())
				ON DUPLICATE KEY UPDATE name = VALUES(name), slug = VALUES(slug), domains = VALUES(domains), external_id = VALUES(external_id), updated_at = VALUES(updated_at)',
				$id,
				$name,
				sanitize_title( $name ),
				wp_json_encode( $domains ),
				is_string( $data['external_id'] ?? null ) ? $data['external_id'] : ''
			)
		);
		return true;
	}
}
