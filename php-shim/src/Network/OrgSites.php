<?php
/**
 * Multisite: which sites of the network an organization's members get, and
 * with which role (the `org_sites` table), and keeping each user's site
 * memberships in line with it.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Network;

use WorkOS_WP\Api;
use WorkOS_WP\Directory\Directory;
use WorkOS_WP\Log;
use WorkOS_WP\Schema;
use WorkOS_WP\Users\Memberships;
use WorkOS_WP\Users\RoleMap;
use WorkOS_WP\Users\UserMeta;
use WorkOS_WP\Users\Users;

defined( 'ABSPATH' ) || exit;

/**
 * The organization → site mapping and what it grants.
 *
 * A mapping row says: every active member of organization O is a member of
 * site B with role R. The organizations a user belongs to are the active
 * rows of `org_memberships` (written by organization_membership webhooks,
 * the CLI, invitations, and at sign-in from WorkOS's own list) plus the
 * organization of the directory that provisioned them (Directory Sync).
 *
 * Users are shared by every site of a network, so a grant is remembered on
 * the user (UserMeta::SITE_GRANTS, blog id => role): only a membership this
 * mapping gave is ever changed or taken away. A user a site's administrator
 * added by hand keeps their role there, whatever the mapping says; a grant
 * whose role an administrator changed since is forgotten, not removed.
 * When two mapped organizations name the same site, the first mapping (by
 * organization id) decides the role.
 */
final class OrgSites {

	/**
	 * Every mapping, ordered by organization then site.
	 *
	 * @return array<int, array{organization_id: string, blog_id: int, role: string}>
	 */
	public static function all(): array {
		global $wpdb;
		$rows = (array) $wpdb->get_results( 'SELECT organization_id, blog_id, role FROM ' . Schema::table( 'org_sites' ) . " WHERE organization_id <> '' AND blog_id > 0 ORDER BY organization_id, blog_id", ARRAY_A ); // phpcs:ignore WordPress.DB
		return array_map(
			static fn( array $r ) => array(
				'organization_id' => (string) $r['organization_id'],
				'blog_id'         => (int) $r['blog_id'],
				'role'            => (string) $r['role'],
			),
			$rows
		);
	}

	/**
	 * Whether any mapping exists (sign-in asks before calling WorkOS).
	 */
	public static function any(): bool {
		global $wpdb;
		return null !== $wpdb->get_var( 'SELECT 1 FROM ' . Schema::table( 'org_sites' ) . " WHERE organization_id <> '' AND blog_id > 0 LIMIT 1" ); // phpcs:ignore WordPress.DB
	}

	/**
	 * Maps an organization to a site with a role (replacing that pair's
	 * role), then grants it to the organization's known members.
	 *
	 * @param string $org_id  WorkOS organization id.
	 * @param int    $blog_id Site.
	 * @param string $role    WordPress role on that site.
	 * @return int How many users' access changed.
	 */
	public static function map( string $org_id, int $blog_id, string $role ): int {
		global $wpdb;
		$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				'INSERT INTO ' . Schema::table( 'org_sites' ) . ' (organization_id, blog_id, role) VALUES (%s, %d, %s) ON DUPLICATE KEY UPDATE role = VALUES(role)',
				$org_id,
				$blog_id,
				$role
			)
		);
		Log::event(
			'org_site_mapped',
			array(
				'organization_id' => $org_id,
				'site'            => $blog_id,
				'role'            => $role,
			)
		);
		return self::sync_members( $org_id );
	}

	/**
	 * Ends a mapping; the access it gave is taken back.
	 *
	 * @param string $org_id  WorkOS organization id.
	 * @param int    $blog_id Site.
	 * @return int How many users' access changed.
	 */
	public static function unmap( string $org_id, int $blog_id ): int {
		global $wpdb;
		$wpdb->delete( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			Schema::table( 'org_sites' ),
			array(
				'organization_id' => $org_id,
				'blog_id'         => $blog_id,
			)
		);
		Log::event(
			'org_site_unmapped',
			array(
				'organization_id' => $org_id,
				'site'            => $blog_id,
			)
		);
		// The users it granted to are found by their grant, not by the
		// organization: a membership may have ended without an event.
		$changed = 0;
		foreach ( self::granted_users( $blog_id ) as $user ) {
			$changed += self::sync( $user ) ? 1 : 0;
		}
		return $changed;
	}

	/**
	 * Brings every known member of an organization in line (after the
	 * mapping changed).
	 *
	 * @param string $org_id WorkOS organization id.
	 * @return int How many users' access changed.
	 */
	private static function sync_members( string $org_id ): int {
		global $wpdb;
		$ids = $wpdb->get_col( $wpdb->prepare( 'SELECT DISTINCT user_id FROM ' . Schema::table( 'org_memberships' ) . " WHERE organization_id = %s AND user_id > 0 AND status = 'active'", $org_id ) ); // phpcs:ignore WordPress.DB
		$ids = array_merge( $ids, get_users( array( 'blog_id' => 0, 'meta_key' => UserMeta::DIRECTORY_ORG, 'meta_value' => $org_id, 'fields' => 'ID' ) ) ); // phpcs:ignore WordPress.DB.SlowDBQuery
		$changed = 0;
		foreach ( array_unique( array_map( 'intval', $ids ) ) as $id ) {
			$user     = get_user_by( 'id', $id );
			$changed += $user && self::sync( $user ) ? 1 : 0;
		}
		return $changed;
	}

	/**
	 * The users holding a grant on a site.
	 *
	 * @param int $blog_id Site.
	 * @return \WP_User[]
	 */
	private static function granted_users( int $blog_id ): array {
		$out = array();
		foreach ( get_users( array( 'blog_id' => 0, 'meta_key' => UserMeta::SITE_GRANTS, 'meta_compare' => 'EXISTS' ) ) as $user ) { // phpcs:ignore WordPress.DB.SlowDBQuery
			if ( isset( self::grants( $user->ID )[ $blog_id ] ) ) {
				$out[] = $user;
			}
		}
		return $out;
	}

	/**
	 * The sites (and roles) a user's organizations give them now.
	 *
	 * @param int $user_id User.
	 * @return array<int, string> Blog id => role.
	 */
	public static function desired( int $user_id ): array {
		global $wpdb;
		$orgs = $wpdb->get_col( $wpdb->prepare( 'SELECT DISTINCT organization_id FROM ' . Schema::table( 'org_memberships' ) . " WHERE user_id = %d AND status = 'active'", $user_id ) ); // phpcs:ignore WordPress.DB
		$dir  = (string) get_user_meta( $user_id, UserMeta::DIRECTORY_ORG, true );
		if ( '' !== $dir ) {
			$orgs[] = $dir;
		}
		$orgs = array_values( array_unique( array_filter( array_map( 'strval', $orgs ) ) ) );
		if ( ! $orgs ) {
			return array();
		}
		$rows = (array) $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				'SELECT blog_id, role FROM ' . Schema::table( 'org_sites' ) . ' WHERE organization_id IN (' . implode( ',', array_fill( 0, count( $orgs ), '%s' ) ) . ") AND role <> '' ORDER BY organization_id, blog_id",
				...$orgs
			),
			ARRAY_A
		);
		$out = array();
		foreach ( $rows as $r ) {
			$blog = (int) $r['blog_id'];
			if ( ! isset( $out[ $blog ] ) ) {
				$out[ $blog ] = (string) $r['role'];
			}
		}
		return $out;
	}

	/**
	 * The grants the mapping gave a user (blog id => role).
	 *
	 * @param int $user_id User.
	 * @return array<int, string>
	 */
	public static function grants( int $user_id ): array {
		$stored = get_user_meta( $user_id, UserMeta::SITE_GRANTS, true );
		$out    = array();
		foreach ( is_array( $stored ) ? $stored : array() as $blog => $role ) {
			if ( (int) $blog > 0 && is_string( $role ) ) {
				$out[ (int) $blog ] = $role;
			}
		}
		return $out;
	}

	/**
	 * Whether a role exists on a site (sites may differ: a plugin's own
	 * roles exist where it is active). A role unknown there would give the
	 * person a membership with no capabilities, so none is given.
	 *
	 * @param int    $blog_id Site.
	 * @param string $role    Role slug.
	 */
	private static function site_has_role( int $blog_id, string $role ): bool {
		global $wpdb;
		$roles = get_blog_option( $blog_id, $wpdb->get_blog_prefix( $blog_id ) . 'user_roles', array() );
		return is_array( $roles ) && isset( $roles[ $role ] );
	}

	/**
	 * wp_delete_site: a deleted site's mappings go (its users' memberships
	 * of it went with it); the grants are forgotten as their users are next
	 * brought in line.
	 *
	 * @param \WP_Site $site The deleted site.
	 */
	public static function on_site_deleted( $site ): void {
		global $wpdb;
		if ( $site instanceof \WP_Site ) {
			$wpdb->delete( Schema::table( 'org_sites' ), array( 'blog_id' => (int) $site->blog_id ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		}
	}

	/**
	 * A user's roles on a site (none: not a member).
	 *
	 * @param int $user_id User.
	 * @param int $blog_id Site.
	 * @return string[]
	 */
	private static function roles_on( int $user_id, int $blog_id ): array {
		global $wpdb;
		$caps = get_user_meta( $user_id, $wpdb->get_blog_prefix( $blog_id ) . 'capabilities', true );
		return is_array( $caps ) ? array_keys( array_filter( $caps ) ) : array();
	}

	/**
	 * Brings a user's site memberships in line with the mapping (see the
	 * class comment). A deactivated user is given no site (deactivation
	 * shuts every door); what they lost is taken back as for anyone, and
	 * given again when they are reactivated and a membership says so.
	 *
	 * @param \WP_User $user User.
	 * @return bool Whether anything changed.
	 */
	public static function sync( \WP_User $user ): bool {
		if ( ! is_multisite() ) {
			return false;
		}
		$adding  = ! Users::is_deactivated( $user->ID );
		$grants  = self::grants( $user->ID );
		$before  = $grants;
		$desired = self::desired( $user->ID );
		$changes = array();
		foreach ( $desired as $blog => $role ) {
			if ( ! get_site( $blog ) || ! $adding || ! self::site_has_role( $blog, $role ) ) {
				continue; // A grant already held stays (not in array_diff_key below); none is added.
			}
			$current = self::roles_on( $user->ID, $blog );
			if ( ! $current ) {
				$add = true;
			} elseif ( isset( $grants[ $blog ] ) ) {
				// Ours: follows the mapping, unless an administrator changed the role since.
				$add = array( $grants[ $blog ] ) === $current && array( $role ) !== $current;
				if ( array( $grants[ $blog ] ) !== $current ) {
					unset( $grants[ $blog ] );
					continue;
				}
			} else {
				continue; // A member by other means: theirs to keep as it is.
			}
			if ( $add ) {
				RoleMap::quietly(
					static function () use ( $blog, $user, $role ) {
						add_user_to_blog( $blog, $user->ID, $role );
					}
				);
				$changes[] = array(
					'site' => $blog,
					'role' => $role,
				);
			}
			$grants[ $blog ] = $role;
		}
		foreach ( array_diff_key( $grants, $desired ) as $blog => $role ) {
			unset( $grants[ $blog ] );
			if ( get_site( $blog ) && array( $role ) === self::roles_on( $user->ID, $blog ) ) {
				RoleMap::quietly(
					static function () use ( $blog, $user ) {
						remove_user_from_blog( $user->ID, $blog );
					}
				);
				$changes[] = array(
					'site' => $blog,
					'role' => '',
				);
			}
		}
		if ( $grants !== $before ) {
			if ( $grants ) {
				update_user_meta( $user->ID, UserMeta::SITE_GRANTS, $grants );
			} else {
				delete_user_meta( $user->ID, UserMeta::SITE_GRANTS );
			}
		}
		foreach ( $changes as $c ) {
			Log::event( '' === $c['role'] ? 'site_access_removed' : 'site_access_granted', array_merge( array( 'user_id' => $user->ID ), $c ) );
		}
		return (bool) $changes;
	}

	/**
	 * workos_webhook: after a membership or directory event was applied,
	 * the person's sites follow.
	 *
	 * @param array  $event The whole event.
	 * @param string $type  Event type.
	 * @param array  $data  The event's data.
	 */
	public static function on_webhook( $event, $type, $data ): void {
		$type = (string) $type;
		$data = is_array( $data ) ? $data : array();
		if ( 0 === strpos( $type, 'organization_membership.' ) ) {
			$user = Users::find_linked( is_string( $data['user_id'] ?? null ) ? $data['user_id'] : '' );
		} elseif ( in_array( $type, array( 'dsync.user.created', 'dsync.user.updated', 'dsync.user.deleted' ), true ) ) {
			$user = self::directory_user( $data, $type );
		} elseif ( 'organization.deleted' === $type ) {
			// Its mappings and memberships are gone (Organizations::deleted()): the access they gave goes too.
			foreach ( get_users( array( 'blog_id' => 0, 'meta_key' => UserMeta::SITE_GRANTS, 'meta_compare' => 'EXISTS' ) ) as $granted ) { // phpcs:ignore WordPress.DB.SlowDBQuery
				self::sync( $granted );
			}
			return;
		} else {
			return;
		}
		if ( $user ) {
			self::sync( $user );
		}
	}

	/**
	 * A directory user event: remembers (or forgets) the directory's
	 * organization on the linked user. The event was applied, so its
	 * directory is one of an organization this site serves (Directory).
	 *
	 * @param array  $data Directory user.
	 * @param string $type Event type.
	 */
	private static function directory_user( array $data, string $type ): ?\WP_User {
		$user = Directory::find( is_string( $data['id'] ?? null ) ? $data['id'] : '' );
		if ( ! $user ) {
			return null;
		}
		$org = is_string( $data['organization_id'] ?? null ) ? $data['organization_id'] : '';
		if ( '' === $org && is_string( $data['directory_id'] ?? null ) ) {
			try {
				$org = Directory::organization_of( $data['directory_id'] );
			} catch ( \WorkOS\Native\Exception $e ) {
				$org = '';
			}
		}
		if ( 'dsync.user.deleted' === $type || 'active' !== ( $data['state'] ?? 'active' ) ) {
			delete_user_meta( $user->ID, UserMeta::DIRECTORY_ORG );
		} elseif ( '' !== $org ) {
			update_user_meta( $user->ID, UserMeta::DIRECTORY_ORG, $org );
		}
		return $user;
	}

	/**
	 * workos_user_authenticated: someone signed in through WorkOS. When the
	 * network maps any organization, their memberships are asked of WorkOS
	 * (a webhook may not have come yet) and stored, and their sites follow.
	 * When WorkOS cannot be asked, what is on record decides.
	 *
	 * @param int   $user_id  Who signed in.
	 * @param array $response WorkOS's authentication response.
	 */
	public static function on_sign_in( $user_id, $response ): void {
		$user = get_user_by( 'id', (int) $user_id );
		if ( ! $user || ! self::any() ) {
			return;
		}
		$workos_id = is_string( $response['user']['id'] ?? null ) ? $response['user']['id'] : (string) get_user_meta( $user->ID, UserMeta::USER_ID, true );
		if ( '' !== $workos_id ) {
			try {
				$page = Api::client()->listOrganizationMemberships(
					array(
						'user_id'  => $workos_id,
						'statuses' => array( 'active', 'inactive' ),
						'limit'    => 100,
					)
				);
				$seen = array();
				foreach ( is_array( $page['data'] ?? null ) ? $page['data'] : array() as $membership ) {
					if ( is_array( $membership ) && ( $membership['user_id'] ?? '' ) === $workos_id ) {
						Memberships::upserted( $membership );
						$seen[] = (string) ( $membership['id'] ?? '' );
					}
				}
				self::forget_missing( $user->ID, $seen, empty( $page['list_metadata']['after'] ) );
			} catch ( \WorkOS\Native\Exception $e ) {
				Log::event(
					'site_access_unchecked',
					array(
						'user_id' => $user->ID,
						'detail'  => $e->getMessage(),
					)
				);
			}
		}
		self::sync( get_user_by( 'id', $user->ID ) );
	}

	/**
	 * Local memberships WorkOS no longer lists for the user (a deletion
	 * whose event never came): marked inactive, so they grant nothing. Only
	 * when the whole list was read.
	 *
	 * @param int      $user_id  User.
	 * @param string[] $seen     Membership ids WorkOS listed.
	 * @param bool     $complete Whether that was every membership.
	 */
	private static function forget_missing( int $user_id, array $seen, bool $complete ): void {
		global $wpdb;
		if ( ! $complete ) {
			return;
		}
		$table = Schema::table( 'org_memberships' );
		if ( ! $seen ) {
			$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET status = 'inactive' WHERE user_id = %d AND status = 'active'", $user_id ) ); // phpcs:ignore WordPress.DB
			return;
		}
		$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				"UPDATE {$table} SET status = 'inactive' WHERE user_id = %d AND status = 'active' AND workos_id NOT IN (" . implode( ',', array_fill( 0, count( $seen ), '%s' ) ) . ')',
				$user_id,
				...$seen
			)
		);
	}
}
