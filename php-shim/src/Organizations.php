<?php
/**
 * The organizations this site serves, and the local copy of WorkOS organizations.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

use WorkOS_WP\Users\EmailKey;

defined( 'ABSPATH' ) || exit;

/**
 * Which organizations this site serves (every organization check goes
 * through served()), organization.* handlers and verified domains.
 */
final class Organizations {

	/**
	 * organization.created / organization.updated.
	 *
	 * @param array $data Organization.
	 */
	public static function upserted( array $data ): string {
		self::forget_listed();
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
		self::forget_listed();
		$wpdb->delete( Schema::table( 'organizations' ), array( 'workos_id' => $id ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->delete( Schema::table( 'org_memberships' ), array( 'organization_id' => $id ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->delete( Schema::table( 'org_sites' ), array( 'organization_id' => $id ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		return 'deleted';
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
	 * Whether `$email`'s domain is a verified domain of the organization
	 * (from the local copy, else fetched from WorkOS once and kept).
	 *
	 * @param string $org_id Organization id.
	 * @param string $email  Email address.
	 */
	public static function domain_is_verified( string $org_id, string $email ): bool {
		// Both sides compared by their keys (lower case, IDNA ASCII): see EmailKey.
		$key    = EmailKey::of( $email );
		$domain = null === $key ? '' : (string) substr( (string) strrchr( $key, '@' ), 1 );
		if ( '' === $org_id || '' === $domain ) {
			return false;
		}
		global $wpdb;
		$stored = $wpdb->get_var( $wpdb->prepare( 'SELECT domains FROM ' . Schema::table( 'organizations' ) . ' WHERE workos_id = %s', $org_id ) ); // phpcs:ignore WordPress.DB
		if ( null === $stored ) {
			try {
				$org = Api::client()->getOrganization( $org_id );
			} catch ( \WorkOS\Native\Exception $e ) {
				return false;
			}
			self::store( is_array( $org ) ? $org : array() );
			$stored = wp_json_encode( $org['domains'] ?? array() );
		}
		foreach ( (array) json_decode( (string) $stored, true ) as $d ) {
			if ( is_array( $d ) && is_string( $d['domain'] ?? null ) && EmailKey::of( 'postmaster@' . $d['domain'] ) === 'postmaster@' . $domain && in_array( $d['state'] ?? '', array( 'verified', 'legacy_verified' ), true ) ) {
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

	/**
	 * An organization changed at WorkOS: the list the admin pickers keep in
	 * the host cache (see Admin\SettingsPage) is fetched afresh next time.
	 */
	private static function forget_listed(): void {
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return;
		}
		try {
			Api::client()->forgetCachedOrganizations();
		} catch ( \WorkOS\Native\Exception $e ) {
			return; // A client that cannot be built caches nothing either.
		}
	}
}
