<?php
/**
 * Directory Sync: directory users become WordPress users; groups give roles.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Directory;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Organizations;
use WorkOS_WP\Settings;
use WorkOS_WP\Users\EmailKey;
use WorkOS_WP\Users\Links;
use WorkOS_WP\Users\RoleMap;
use WorkOS_WP\Users\Users;

defined( 'ABSPATH' ) || exit;

/**
 * dsync.* event handlers.
 *
 * A directory user is linked through its own usermeta key, never through
 * `_workos_user_id`: a directory record and a WorkOS sign-in identity are
 * different things, and one must not overwrite the other's link.
 *
 * Every directory user and group event goes through handle(): one WorkOS
 * environment holds the directories of every tenant, and only those of the
 * organization(s) this site serves may change a WordPress user here.
 */
final class Directory {

	/** Usermeta: the directory user id (`directory_user_…`). */
	public const META_ID = \WorkOS_WP\Users\UserMeta::DIRECTORY_USER_ID;

	/** Usermeta: the directory groups the user is in: [{id, name, organization_id}]. */
	public const META_GROUPS = \WorkOS_WP\Users\UserMeta::DIRECTORY_GROUPS;

	/** Deactivation marker for deprovisioning by the directory. */
	public const REASON = 'directory';

	/**
	 * Option (not autoloaded): directory id => its organization id, as WorkOS
	 * states it in the directory object itself (dsync.activated, or
	 * `GET /directories/{id}`). A directory never changes organization.
	 */
	public const DIRECTORIES_OPTION = 'workos_directories';

	/** Outcome of every directory event while no organization is configured. */
	public const NO_ORGANIZATION = 'no_organization_configured';

	/** Outcomes of directory events refused for their organization. */
	public const REFUSED = array( 'foreign_organization', 'directory_organization_mismatch', 'directory_unknown' );

	/**
	 * dsync.user.* and dsync.group.user_*: the one way in. The event is
	 * applied only when its directory belongs to an organization this site
	 * serves; otherwise it changes no user and is logged.
	 *
	 * @param array  $data Event data.
	 * @param string $type Event type.
	 * @return string Outcome.
	 * @throws \WorkOS\Native\Exception When WorkOS cannot be asked about the
	 *                                    directory now (the event is retried).
	 */
	public static function handle( array $data, string $type ): string {
		$scope = self::scope( $data );
		if ( is_string( $scope ) ) {
			$user = is_array( $data['user'] ?? null ) ? $data['user'] : $data;
			$org  = $data['organization_id'] ?? ( $user['organization_id'] ?? '' );
			Log::event(
				self::NO_ORGANIZATION === $scope ? 'directory_event_ignored' : 'directory_event_refused',
				array(
					'event'             => $type,
					'reason'            => $scope,
					'directory_user_id' => is_string( $user['id'] ?? null ) ? $user['id'] : '',
					'directory_id'      => is_string( $data['directory_id'] ?? null ) ? $data['directory_id'] : '',
					'organization_id'   => is_string( $org ) ? $org : '',
				)
			);
			return $scope;
		}
		list( $directory, $org ) = $scope;
		switch ( $type ) {
			case 'dsync.user.created':
			case 'dsync.user.updated':
				return self::user_upserted( $data, $directory, $org );
			case 'dsync.user.deleted':
				return self::user_deleted( $data );
			case 'dsync.group.user_added':
			case 'dsync.group.user_removed':
				return self::group_changed( $data, $type, $directory, $org );
		}
		return 'ignored';
	}

	/**
	 * Whether an event's directory is one of this site's: every directory id
	 * and organization id the event names must agree, and the directory's
	 * own organization (looked up, never taken from the event) must be one
	 * this site serves.
	 *
	 * @param array $data Event data: a directory user, or {directory_id, user, group}.
	 * @return array{0: string, 1: string}|string [directory id, organization id], or why not.
	 * @throws \WorkOS\Native\Exception When the directory cannot be looked up now.
	 */
	private static function scope( array $data ) {
		if ( ! Organizations::served() ) {
			return self::NO_ORGANIZATION;
		}
		$directories = array();
		$claimed     = array();
		foreach ( array( $data, $data['user'] ?? null, $data['group'] ?? null ) as $part ) {
			if ( ! is_array( $part ) ) {
				continue;
			}
			if ( array_key_exists( 'directory_id', $part ) ) {
				$directories[] = is_string( $part['directory_id'] ) ? $part['directory_id'] : '';
			}
			if ( array_key_exists( 'organization_id', $part ) ) {
				$claimed[] = is_string( $part['organization_id'] ) ? $part['organization_id'] : '';
			}
		}
		$directories = array_values( array_unique( $directories ) );
		if ( 1 !== count( $directories ) || '' === $directories[0] ) {
			return $directories ? 'directory_organization_mismatch' : 'directory_unknown';
		}
		// An event that itself names another organization is refused before
		// anything is asked of WorkOS.
		foreach ( $claimed as $org ) {
			if ( ! Organizations::serves( $org ) ) {
				return 'foreign_organization';
			}
		}
		$real = self::organization_of( $directories[0] );
		if ( '' === $real || array_diff( array_unique( $claimed ), array( $real ) ) ) {
			return 'directory_organization_mismatch';
		}
		return Organizations::serves( $real ) ? array( $directories[0], $real ) : 'foreign_organization';
	}

	/**
	 * The organization a directory belongs to, from the directory object:
	 * remembered from dsync.activated or an earlier lookup, else asked of
	 * WorkOS once and remembered. '' when WorkOS knows no such directory.
	 *
	 * @param string $directory_id Directory id.
	 * @throws \WorkOS\Native\Exception When WorkOS cannot be reached.
	 */
	public static function organization_of( string $directory_id ): string {
		$known = get_option( self::DIRECTORIES_OPTION, array() );
		if ( is_array( $known ) && is_string( $known[ $directory_id ] ?? null ) ) {
			return $known[ $directory_id ];
		}
		// Not an id WorkOS issues: nothing to ask about.
		if ( ! preg_match( '/^directory_[A-Za-z0-9]{1,64}$/', $directory_id ) ) {
			return '';
		}
		try {
			$directory = Api::client()->getDirectory( $directory_id );
		} catch ( \WorkOS\Native\ApiException $e ) {
			if ( in_array( $e->getStatus(), array( 400, 404, 422 ), true ) ) {
				return '';
			}
			// Down, throttled or refusing our key: the directory cannot be
			// checked now, so the event is retried later, never applied blind.
			throw $e;
		}
		$org = is_array( $directory ) && is_string( $directory['organization_id'] ?? null ) ? $directory['organization_id'] : '';
		if ( '' !== $org && ( $directory['id'] ?? '' ) === $directory_id ) {
			self::remember( $directory_id, $org );
			return $org;
		}
		return '';
	}

	/**
	 * dsync.activated / dsync.deleted: remembers (or forgets) which
	 * organization a directory belongs to. Changes no user.
	 *
	 * @param array  $data Directory.
	 * @param string $type Event type.
	 */
	public static function directory_changed( array $data, string $type ): string {
		$id  = is_string( $data['id'] ?? null ) ? $data['id'] : '';
		$org = is_string( $data['organization_id'] ?? null ) ? $data['organization_id'] : '';
		if ( '' === $id ) {
			return 'invalid';
		}
		if ( 'dsync.deleted' === $type ) {
			$known = get_option( self::DIRECTORIES_OPTION, array() );
			if ( is_array( $known ) && isset( $known[ $id ] ) ) {
				unset( $known[ $id ] );
				update_option( self::DIRECTORIES_OPTION, $known, false );
			}
			return 'forgotten';
		}
		if ( '' === $org ) {
			return 'invalid';
		}
		self::remember( $id, $org );
		return 'recorded';
	}

	/**
	 * Stores a directory's organization.
	 *
	 * @param string $directory_id Directory id.
	 * @param string $org          Organization id.
	 */
	private static function remember( string $directory_id, string $org ): void {
		$known = get_option( self::DIRECTORIES_OPTION, array() );
		$known = is_array( $known ) ? $known : array();
		if ( ( $known[ $directory_id ] ?? null ) !== $org ) {
			$known[ $directory_id ] = $org;
			update_option( self::DIRECTORIES_OPTION, $known, false );
		}
	}

	/**
	 * The WordPress user linked to a directory user.
	 *
	 * @param string $directory_user_id Directory user id.
	 */
	public static function find( string $directory_user_id ): ?\WP_User {
		return Links::find( 'directory', $directory_user_id );
	}

	/**
	 * dsync.user.created / dsync.user.updated (from a directory of this
	 * site's organization: see handle()).
	 *
	 * @param array  $data      Directory user.
	 * @param string $directory Its directory.
	 * @param string $org       The directory's organization.
	 */
	private static function user_upserted( array $data, string $directory, string $org ): string {
		$id    = is_string( $data['id'] ?? null ) ? $data['id'] : '';
		$email = self::primary_email( $data );
		if ( '' === $id ) {
			return 'invalid';
		}
		if ( null === $email ) {
			return Users::refuse_email( $data['emails'] ?? ( $data['email'] ?? null ), 'directory', $id )->get_error_code();
		}
		$active  = 'active' === ( $data['state'] ?? 'active' );
		$user    = self::find( $id );
		$outcome = 'updated';
		if ( ! $user ) {
			if ( ! $active ) {
				return 'inactive_unknown_user';
			}
			$existing = Users::find_by_email( $email );
			if ( is_wp_error( $existing ) ) {
				return $existing->get_error_code();
			}
			if ( $existing ) {
				// The directory speaks for a mailbox only on its organization's
				// verified domains; elsewhere it could claim anyone's account.
				if ( ! Organizations::domain_is_verified( $org, $email ) ) {
					Log::event( 'directory_link_refused', array( 'user_id' => $existing->ID, 'directory_user_id' => $id, 'reason' => 'unverified_domain' ) );
					return 'email_not_verified';
				}
				$other = (string) get_user_meta( $existing->ID, self::META_ID, true );
				if ( '' !== $other && $other !== $id ) {
					return 'already_linked';
				}
				$user    = $existing;
				$outcome = 'linked';
			} else {
				$user = self::create( $data, $email );
				if ( is_wp_error( $user ) ) {
					return $user->get_error_code();
				}
				$outcome = 'created';
			}
			update_user_meta( $user->ID, self::META_ID, $id );
		}

		$updated = Users::update_profile(
			$user,
			array(
				'email'      => $email,
				'first_name' => $data['first_name'] ?? null,
				'last_name'  => $data['last_name'] ?? null,
			)
		);
		if ( is_wp_error( $updated ) ) {
			return $updated->get_error_code();
		}
		$user = $updated;
		if ( isset( $data['groups'] ) && is_array( $data['groups'] ) ) {
			self::set_groups( $user, $data['groups'], $directory, $org );
		}
		if ( ! $active ) {
			return Users::deprovision( $user, self::REASON );
		}
		Users::reactivate( $user, self::REASON );
		return $outcome;
	}

	/**
	 * dsync.user.deleted (see handle()).
	 *
	 * @param array $data Directory user.
	 */
	private static function user_deleted( array $data ): string {
		$user = self::find( is_string( $data['id'] ?? null ) ? $data['id'] : '' );
		return $user ? Users::deprovision( $user, self::REASON ) : 'no_linked_user';
	}

	/**
	 * dsync.group.user_added / dsync.group.user_removed: the group list
	 * changes, and with it the mapped role (see handle()).
	 *
	 * @param array  $data      {directory_id, user, group}.
	 * @param string $type      Event type.
	 * @param string $directory The directory.
	 * @param string $org       The directory's organization.
	 */
	private static function group_changed( array $data, string $type, string $directory, string $org ): string {
		$user  = self::find( is_string( $data['user']['id'] ?? null ) ? $data['user']['id'] : '' );
		$group = is_array( $data['group'] ?? null ) ? $data['group'] : array();
		if ( ! $user || ! is_string( $group['id'] ?? null ) ) {
			return 'no_linked_user';
		}
		$groups = array();
		foreach ( self::groups_of( $user->ID ) as $g ) {
			$groups[ $g['id'] ] = $g;
		}
		if ( 'dsync.group.user_added' === $type ) {
			$groups[ $group['id'] ] = $group + array(
				'directory_id'    => $directory,
				'organization_id' => $org,
			);
		} else {
			unset( $groups[ $group['id'] ] );
		}
		self::set_groups( $user, array_values( $groups ), $directory, $org );
		return 'dsync.group.user_added' === $type ? 'group_added' : 'group_removed';
	}

	/**
	 * The user's directory groups.
	 *
	 * @param int $user_id User id.
	 * @return array<int, array{id: string, name: string}>
	 */
	public static function groups_of( int $user_id ): array {
		$groups = get_user_meta( $user_id, self::META_GROUPS, true );
		return is_array( $groups ) ? $groups : array();
	}

	/**
	 * Stores the groups and gives the role the role map assigns to them, first
	 * map line wins. A group counts by its id anywhere, but by its name only
	 * when it belongs to an organization this site serves: another tenant's
	 * group called `admin` is not this site's `admin`. A group that names
	 * another directory or organization than the event's is dropped. No
	 * mapped group: the default role when one is set, else the role stays.
	 *
	 * @param \WP_User $user      User.
	 * @param array    $groups    Directory groups.
	 * @param string   $directory The event's directory.
	 * @param string   $org       Its organization (verified by handle()).
	 */
	private static function set_groups( \WP_User $user, array $groups, string $directory, string $org ): void {
		$clean = array();
		foreach ( $groups as $g ) {
			if ( ! is_array( $g ) || ! is_string( $g['id'] ?? null ) ) {
				continue;
			}
			$in_directory = ! isset( $g['directory_id'] ) || $g['directory_id'] === $directory;
			$in_org       = ! isset( $g['organization_id'] ) || $g['organization_id'] === $org;
			if ( ! $in_directory || ! $in_org ) {
				Log::event(
					'directory_group_refused',
					array(
						'user_id'  => $user->ID,
						'group_id' => $g['id'],
						'reason'   => 'foreign_organization',
					)
				);
				continue;
			}
			$clean[] = array(
				'id'              => $g['id'],
				'name'            => sanitize_text_field( (string) ( $g['name'] ?? '' ) ),
				'organization_id' => $org,
			);
		}
		update_user_meta( $user->ID, self::META_GROUPS, $clean );
		$role = self::role_of_groups( $clean );
		if ( '' === $role ) {
			$role = Settings::get( 'default_role' );
		}
		if ( '' !== $role && wp_roles()->is_role( $role ) ) {
			RoleMap::apply( get_user_by( 'id', $user->ID ), $role );
		}
	}

	/**
	 * The mapped role of stored groups: ids always, names only of groups of
	 * an organization this site serves (now: a group stored before carries
	 * no organization, and counts by id only).
	 *
	 * @param array $groups Groups as stored in META_GROUPS.
	 */
	private static function role_of_groups( array $groups ): string {
		$held = array();
		foreach ( $groups as $g ) {
			$held[] = $g['id'];
			if ( '' !== ( $g['name'] ?? '' ) && Organizations::serves( (string) ( $g['organization_id'] ?? '' ) ) ) {
				$held[] = $g['name'];
			}
		}
		return $held ? RoleMap::resolve( $held ) : '';
	}

	/**
	 * Creates the WordPress user of a directory user.
	 *
	 * @param array  $data  Directory user.
	 * @param string $email Primary email.
	 * @return \WP_User|\WP_Error
	 */
	private static function create( array $data, string $email ) {
		$first   = sanitize_text_field( (string) ( $data['first_name'] ?? '' ) );
		$last    = sanitize_text_field( (string) ( $data['last_name'] ?? '' ) );
		$default = Settings::get( 'default_role' );
		$user_id = wp_insert_user(
			array(
				'user_login'   => Users::unique_login( $email ),
				'user_email'   => $email,
				'user_pass'    => wp_generate_password( 32, true, true ),
				'first_name'   => $first,
				'last_name'    => $last,
				'display_name' => Users::display_name( $first, $last, $email ),
				'role'         => '' !== $default ? $default : (string) get_option( 'default_role', 'subscriber' ),
			)
		);
		if ( is_wp_error( $user_id ) ) {
			return $user_id;
		}
		Log::event( 'user_created', array( 'user_id' => $user_id, 'directory_user_id' => $data['id'] ) );
		return get_user_by( 'id', $user_id );
	}

	/**
	 * The directory user's primary email (else the first one, else `email`),
	 * as `EmailKey::of()` compares it; null when the chosen address is
	 * not one this site may link (it is never repaired into another one).
	 *
	 * @param array $data Directory user.
	 */
	public static function primary_email( array $data ): ?string {
		$emails = is_array( $data['emails'] ?? null ) ? $data['emails'] : array();
		$chosen = null;
		foreach ( $emails as $e ) {
			if ( ! is_array( $e ) || ! is_string( $e['value'] ?? null ) || '' === $e['value'] ) {
				continue;
			}
			if ( null === $chosen || ! empty( $e['primary'] ) ) {
				$chosen = $e['value'];
			}
			if ( ! empty( $e['primary'] ) ) {
				break;
			}
		}
		if ( null === $chosen && is_string( $data['email'] ?? null ) ) {
			$chosen = $data['email'];
		}
		return EmailKey::of( $chosen );
	}
}
