<?php
/**
 * WorkOS roles → WordPress roles, through the admin's role map. The matching
 * itself is the extension's (WorkOS\Native\Roles).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

use WorkOS_WP\Log;
use WorkOS_WP\Organizations;
use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Applies the role map.
 */
final class RoleMap {

	/**
	 * Depth of role changes made on WorkOS's word (not to be pushed back).
	 *
	 * @var int
	 */
	private static $quiet = 0;

	/**
	 * Runs `$callback` with role changes marked as coming from WorkOS.
	 *
	 * @param callable $callback Work.
	 * @return mixed What it returns.
	 */
	public static function quietly( callable $callback ) {
		++self::$quiet;
		try {
			return $callback();
		} finally {
			--self::$quiet;
		}
	}

	/**
	 * Whether the role change in progress comes from WorkOS.
	 */
	public static function is_quiet(): bool {
		return self::$quiet > 0;
	}

	/**
	 * The mapped WordPress role for an access token's claims, or ''. A token's
	 * `role`/`roles` are the user's roles in the organization its `org_id`
	 * names — which WorkOS picks for a person with a single membership, so it
	 * can be any tenant's. They count only when that organization is one this
	 * site serves; with no organization configured they never count (the
	 * default role applies to new users, existing users keep theirs).
	 *
	 * @param array $claims Verified access-token claims.
	 */
	public static function from_claims( array $claims ): string {
		$org = is_string( $claims['org_id'] ?? null ) ? $claims['org_id'] : '';
		return Organizations::serves( $org ) ? self::resolve( $claims ) : '';
	}

	/**
	 * What the settings screen says under the role map when it cannot apply:
	 * with no organization configured, role claims and Directory Sync groups
	 * are ignored. '' when an organization is configured.
	 */
	public static function scope_notice(): string {
		if ( Organizations::served() ) {
			return '';
		}
		return __( 'No organization is configured, so the role map is not used: role claims in WorkOS tokens and memberships are ignored, Directory Sync changes no user, and new users get the default role. Set the Organization ID to use it.', 'workos' );
	}

	/**
	 * The mapped role for anything WorkOS\Native\Roles understands (claims,
	 * memberships, slugs), or ''.
	 *
	 * @param mixed $held What the user holds.
	 */
	public static function resolve( $held ): string {
		$map = Settings::map( 'role_map' );
		if ( ! $map ) {
			return '';
		}
		$role = \WorkOS\Native\Roles::resolve( $map, $held );
		return is_string( $role ) && wp_roles()->is_role( $role ) ? $role : '';
	}

	/**
	 * Gives the user exactly this role, when it is not already theirs.
	 *
	 * @param \WP_User $user User.
	 * @param string   $role WordPress role.
	 */
	public static function apply( \WP_User $user, string $role ): void {
		if ( array( $role ) === array_values( $user->roles ) ) {
			return;
		}
		$before = array_values( $user->roles );
		self::quietly(
			static function () use ( $user, $role ) {
				$user->set_role( $role );
			}
		);
		Log::event(
			'role_changed',
			array(
				'user_id' => $user->ID,
				'from'    => implode( ',', $before ),
				'to'      => $role,
			)
		);
	}
}
