<?php
/**
 * The fields of Settings → WorkOS.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Settings;
use WorkOS_WP\Settings\Constants;
use WorkOS_WP\Settings\Setting;

defined( 'ABSPATH' ) || exit;

/**
 * Renders one setting from its Registry definition, in WordPress's
 * form-table idiom: the control chosen by what the value is (a role is
 * picked from the site's roles, a user from its users, a choice by its
 * name), then beside it what a constant does to it, its help and an example
 * where the format is not obvious — each tied to the control with
 * aria-describedby. Secrets are never printed, only masked.
 */
final class Fields {

	/** Up to this many users are offered by name; a larger site types an ID (filter `workos_user_picker_limit`). */
	public const USER_PICKER_LIMIT = 200;

	/**
	 * The id of a setting's control (also its label's `for`).
	 *
	 * @param string      $key Setting key.
	 * @param string|null $env Environment of a per-environment setting.
	 */
	public static function id( string $key, ?string $env = null ): string {
		return 'workos_' . ( $env ? $env . '_' : '' ) . $key;
	}

	/**
	 * The form name of a setting's control.
	 *
	 * @param string      $key Setting key.
	 * @param string|null $env Environment of a per-environment setting.
	 */
	public static function name( string $key, ?string $env = null ): string {
		return Settings::OPTION . ( $env ? '[environments][' . $env . ']' : '' ) . '[' . $key . ']';
	}

	/**
	 * One setting: its control and its notes.
	 *
	 * @param Setting     $setting The setting.
	 * @param string|null $env     Environment of a per-environment setting.
	 * @param array       $state   `rejected`: a value the last save refused (shown again, so it can be
	 *                             fixed; its reason comes from SettingsCheck), `control`: a callable
	 *                             that renders the control instead (id, name, current value,
	 *                             aria-describedby), `after`: a callable that renders more after the
	 *                             notes (id); both only while no constant locks the setting.
	 */
	public static function render( Setting $setting, ?string $env, array $state = array() ): void {
		$rejected = $state['rejected'] ?? null;
		$control  = $state['control'] ?? null;
		$key      = $setting->key;
		$id       = self::id( $key, $env );
		$locked   = Settings::locked( $key, $env );
		$error    = $locked ? Constants::error( $key, $env ) : SettingsCheck::rejection( $key, $env ); // Why the last save refused it.
		$notes    = self::notes( $setting, $env, $locked, $error );
		$attrs    = ' aria-describedby="' . esc_attr( implode( ' ', array_keys( $notes ) ) ) . '"' . ( '' !== $error ? ' aria-invalid="true"' : '' ) . ( $locked ? ' disabled' : '' );
		$value    = self::value( $setting, $env, $locked, '' !== $error );
		if ( null !== $rejected && ! $locked && ! $setting->secret ) {
			$value = is_array( $rejected ) ? self::lines( $setting, $rejected ) : (string) $rejected;
		}
		if ( is_callable( $control ) && ! $locked ) {
			$control( $id, self::name( $key, $env ), $value, implode( ' ', array_keys( $notes ) ) );
		} else {
			self::control( $setting, $id, self::name( $key, $env ), $value, $attrs, $locked );
		}
		echo implode( '', $notes ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built escaped by notes().
		$after = $state['after'] ?? null;
		if ( is_callable( $after ) && ! $locked ) {
			$after( $id );
		}
	}

	/**
	 * What the control shows: the value in effect; a constant that cannot
	 * be used as written is shown as written, so it can be fixed.
	 *
	 * @param Setting     $setting  The setting.
	 * @param string|null $env      Environment.
	 * @param bool        $locked   Whether a constant decides it.
	 * @param bool        $unusable Whether that constant cannot be used as written.
	 * @return string|bool
	 */
	private static function value( Setting $setting, ?string $env, bool $locked, bool $unusable ) {
		$key = $setting->key;
		if ( $locked && $unusable ) {
			$raw = constant( Settings::constant_name( $key, $env ) );
			if ( is_string( $raw ) && ! $setting->secret && 'choice' !== $setting->type ) {
				return $raw;
			}
		}
		switch ( $setting->type ) {
			case 'bool':
				return Settings::flag( $key );
			case 'map':
				return self::lines( $setting, Settings::map( $key ) );
			case 'list':
				return implode( "\n", Settings::items( $key ) );
			default:
				return Settings::get( $key, $env );
		}
	}

	/**
	 * A map or list as the form's lines.
	 *
	 * @param Setting $setting The setting.
	 * @param array   $value   Pairs or items.
	 */
	private static function lines( Setting $setting, array $value ): string {
		if ( 'map' !== $setting->type ) {
			return implode( "\n", array_map( 'strval', array_filter( $value, 'is_scalar' ) ) );
		}
		$lines = array();
		foreach ( $value as $from => $to ) {
			$lines[] = $from . ' = ' . ( is_scalar( $to ) ? $to : '' );
		}
		return implode( "\n", $lines );
	}

	/**
	 * The control of a setting, by what its value is.
	 *
	 * @param Setting     $setting The setting.
	 * @param string      $id      Control id.
	 * @param string      $name    Form name.
	 * @param string|bool $value   What it shows.
	 * @param string      $attrs   Escaped extra attributes (aria-describedby, disabled).
	 * @param bool        $locked  Whether a constant decides it.
	 */
	private static function control( Setting $setting, string $id, string $name, $value, string $attrs, bool $locked ): void {
		if ( 'role' === $setting->rule ) {
			self::role_select( $setting, $id, $name, (string) $value, $attrs );
			return;
		}
		if ( 'user_id' === $setting->rule ) {
			self::user_picker( $id, $name, (string) $value, $attrs );
			return;
		}
		switch ( $setting->type ) {
			case 'bool':
				printf( '<input type="checkbox" id="%1$s" name="%2$s" value="1"%3$s%4$s />', esc_attr( $id ), esc_attr( $name ), checked( (bool) $value, true, false ), $attrs ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- $attrs is escaped by render().
				return;
			case 'choice':
				printf( '<select id="%1$s" name="%2$s"%3$s>', esc_attr( $id ), esc_attr( $name ), $attrs ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- $attrs is escaped by render().
				foreach ( $setting->choices as $choice ) {
					printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( $choice ), selected( (string) $value, $choice, false ), esc_html( $setting->choice_name( $choice ) ) );
				}
				echo '</select>';
				return;
			case 'map':
			case 'list':
				$rows = max( 4, min( 12, substr_count( (string) $value, "\n" ) + 2 ) );
				printf( '<textarea id="%1$s" name="%2$s" rows="%3$d" cols="50" class="large-text code"%5$s>%4$s</textarea>', esc_attr( $id ), esc_attr( $name ), (int) $rows, esc_textarea( (string) $value ), $attrs ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- $attrs is escaped by render().
				return;
		}
		if ( $setting->secret ) {
			// A locked secret shows its mask as the value (it cannot be typed
			// over); an open one keeps the field empty: typing replaces it.
			printf(
				'<input type="%1$s" id="%2$s" name="%3$s" class="regular-text code" value="%4$s" placeholder="%5$s" autocomplete="new-password" spellcheck="false"%6$s />',
				$locked ? 'text' : 'password',
				esc_attr( $id ),
				esc_attr( $name ),
				esc_attr( $locked ? Settings::mask( (string) $value ) : '' ),
				esc_attr( $locked ? '' : Settings::mask( (string) $value ) ),
				$attrs // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped by render().
			);
			return;
		}
		$code = 'url' === $setting->type || '' !== $setting->example;
		printf(
			'<input type="%1$s" id="%2$s" name="%3$s" class="%4$s" value="%5$s"%6$s%7$s />',
			'url' === $setting->type ? 'url' : 'text',
			esc_attr( $id ),
			esc_attr( $name ),
			'days' === $setting->rule ? 'small-text' : ( $code ? 'regular-text code' : 'regular-text' ),
			esc_attr( (string) $value ),
			'days' === $setting->rule ? ' inputmode="numeric"' : ( $code ? ' spellcheck="false"' : '' ),
			$attrs // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped by render().
		);
	}

	/**
	 * A role, picked from the site's roles (those the admin may hand out,
	 * as WordPress's own role pickers offer). A stored role that no longer
	 * exists is shown as such, not silently replaced.
	 *
	 * @param Setting $setting The setting.
	 * @param string  $id      Control id.
	 * @param string  $name    Form name.
	 * @param string  $value   Current role.
	 * @param string  $attrs   Escaped extra attributes.
	 */
	private static function role_select( Setting $setting, string $id, string $name, string $value, string $attrs ): void {
		printf( '<select id="%1$s" name="%2$s"%3$s>', esc_attr( $id ), esc_attr( $name ), $attrs ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped by render().
		if ( '' === (string) $setting->default ) {
			$fallback = (string) get_option( 'default_role', 'subscriber' );
			/* translators: %s: role name. */
			printf( '<option value=""%1$s>%2$s</option>', selected( $value, '', false ), esc_html( sprintf( __( 'WordPress\'s default for new users (%s)', 'workos' ), self::role_name( $fallback ) ) ) );
		}
		$roles = self::roles();
		if ( '' !== $value && ! isset( $roles[ $value ] ) ) {
			/* translators: %s: the stored role. */
			printf( '<option value="%1$s" selected="selected">%2$s</option>', esc_attr( $value ), esc_html( sprintf( __( '%s (no such role)', 'workos' ), $value ) ) );
		}
		foreach ( $roles as $role => $label ) {
			printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( $role ), selected( $value, $role, false ), esc_html( $label ) );
		}
		echo '</select>';
	}

	/**
	 * The site's roles an admin may hand out: slug => translated name.
	 *
	 * @return array<string, string>
	 */
	private static function roles(): array {
		$roles = function_exists( 'get_editable_roles' ) ? get_editable_roles() : wp_roles()->roles;
		$out   = array();
		foreach ( $roles as $role => $details ) {
			$out[ $role ] = translate_user_role( $details['name'] );
		}
		return $out;
	}

	/**
	 * A role's translated name (its slug when it does not exist).
	 *
	 * @param string $role Role slug.
	 */
	private static function role_name( string $role ): string {
		$names = wp_roles()->get_names();
		return isset( $names[ $role ] ) ? translate_user_role( $names[ $role ] ) : $role;
	}

	/**
	 * A user, picked by name among those who can write (content is handed
	 * to them); on a site with more of them than the picker offers, typed by
	 * ID, with whose ID it is said.
	 *
	 * @param string $id    Control id.
	 * @param string $name  Form name.
	 * @param string $value Current user ID ('' for none).
	 * @param string $attrs Escaped extra attributes.
	 */
	private static function user_picker( string $id, string $name, string $value, string $attrs ): void {
		$limit = max( 1, (int) apply_filters( 'workos_user_picker_limit', self::USER_PICKER_LIMIT ) );
		$query = array(
			'number'  => $limit + 1,
			'orderby' => 'display_name',
			'fields'  => array( 'ID', 'display_name', 'user_login' ),
		);
		if ( is_network_admin() ) {
			$query['blog_id'] = 0; // A network setting: any user of the network.
		} else {
			$query['capability'] = 'edit_posts';
		}
		$users = get_users( $query );
		if ( count( $users ) > $limit ) {
			printf( '<input type="number" min="1" step="1" id="%1$s" name="%2$s" class="small-text" value="%3$s"%4$s />', esc_attr( $id ), esc_attr( $name ), esc_attr( $value ), $attrs ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped by render().
			$user = '' !== $value ? get_userdata( (int) $value ) : false;
			if ( $user ) {
				printf( ' <span class="workos-user-name">%s</span>', esc_html( sprintf( '%1$s (%2$s)', $user->display_name, $user->user_login ) ) );
			} elseif ( '' !== $value ) {
				echo ' <span class="workos-user-name">' . esc_html__( 'No user has this ID.', 'workos' ) . '</span>';
			}
			/* translators: %d: how many users the list would offer. */
			echo '<p class="description" id="' . esc_attr( $id . '-by-id' ) . '">' . esc_html( sprintf( __( 'This site has more than %d users who can write: enter the user\'s ID (Users → edit a user: the number after user_id= in the address). Empty: nobody.', 'workos' ), $limit ) ) . '</p>';
			return;
		}
		printf( '<select id="%1$s" name="%2$s"%3$s>', esc_attr( $id ), esc_attr( $name ), $attrs ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped by render().
		printf( '<option value=""%1$s>%2$s</option>', selected( $value, '', false ), esc_html__( '— Nobody: delete their content —', 'workos' ) );
		$found = false;
		foreach ( $users as $user ) {
			$found = $found || (string) $user->ID === $value;
			printf( '<option value="%1$d"%2$s>%3$s</option>', (int) $user->ID, selected( $value, (string) $user->ID, false ), esc_html( sprintf( '%1$s (%2$s)', $user->display_name, $user->user_login ) ) );
		}
		if ( '' !== $value && ! $found ) {
			$user = get_userdata( (int) $value );
			/* translators: %s: the stored user ID. */
			$label = $user ? sprintf( '%1$s (%2$s)', $user->display_name, $user->user_login ) : sprintf( __( 'User %s (no such user)', 'workos' ), $value );
			printf( '<option value="%1$s" selected="selected">%2$s</option>', esc_attr( $value ), esc_html( $label ) );
		}
		echo '</select>';
	}

	/**
	 * The notes under a control, in reading order — what is wrong with its
	 * constant, what locks it, its help, an example, the roles it may name,
	 * anything else it needs — keyed by their element id (for
	 * aria-describedby). Each is escaped here.
	 *
	 * @param Setting     $setting The setting.
	 * @param string|null $env     Environment.
	 * @param bool        $locked  Whether a constant decides it.
	 * @param string      $error   What is wrong with that constant, or why the last save refused the field ('' when nothing).
	 * @return array<string, string>
	 */
	private static function notes( Setting $setting, ?string $env, bool $locked, string $error ): array {
		$key   = $setting->key;
		$id    = self::id( $key, $env );
		$notes = array();
		if ( '' !== $error ) {
			$notes[ $id . '-error' ] = '<div class="notice notice-error inline workos-field-error' . ( $locked ? ' workos-constant-error' : '' ) . '" id="' . esc_attr( $id . '-error' ) . '"><p>' . esc_html( $error ) . '</p></div>';
		}
		if ( $locked ) {
			if ( Settings::from_constant( $key, $env ) ) {
				/* translators: %s: PHP constant name. */
				$text = sprintf( __( 'Set in wp-config.php by %s: change it there.', 'workos' ), '<code>' . esc_html( Settings::constant_name( $key, $env ) ) . '</code>' );
			} else {
				// The API base URL follows the API key's constant (see Settings::locked()).
				/* translators: 1: PHP constant of the URL, 2: PHP constant of the API key. */
				$text = sprintf( __( 'The API key is set by a constant, so this URL can only be set by the %1$s constant too (%2$s).', 'workos' ), '<code>' . esc_html( Settings::constant_name( $key, $env ) ) . '</code>', '<code>' . esc_html( Settings::constant_name( 'api_key', $env ) ) . '</code>' );
			}
			$notes[ $id . '-lock' ] = '<p class="description workos-locked" id="' . esc_attr( $id . '-lock' ) . '"><span class="dashicons dashicons-lock" aria-hidden="true"></span> ' . $text . '</p>';
		}
		if ( '' !== $setting->help ) {
			$notes[ $id . '-description' ] = '<p class="description" id="' . esc_attr( $id . '-description' ) . '">' . esc_html( $setting->help ) . '</p>';
		}
		if ( $setting->secret && ! $locked ) {
			$notes[ $id . '-secret' ] = '<p class="description" id="' . esc_attr( $id . '-secret' ) . '">' . esc_html__( 'Stored values are never shown; leave blank to keep the current one.', 'workos' ) . '</p>';
		}
		if ( '' !== $setting->example && ! $locked ) {
			$lines = array_map( static fn( string $line ): string => '<code>' . esc_html( $line ) . '</code>', explode( "\n", $setting->example ) );
			/* translators: %s: one or more example values. */
			$notes[ $id . '-example' ] = '<p class="description workos-example" id="' . esc_attr( $id . '-example' ) . '">' . sprintf( esc_html__( 'Example: %s', 'workos' ), implode( '<br />', $lines ) ) . '</p>';
		}
		if ( in_array( $setting->rule, array( 'role_map', 'role_redirects' ), true ) && ! $locked ) {
			$roles = array();
			foreach ( self::roles() as $role => $label ) {
				$roles[] = '<code>' . esc_html( $role ) . '</code> (' . esc_html( $label ) . ')';
			}
			/* translators: %s: the roles, comma-separated. */
			$notes[ $id . '-roles' ] = '<p class="description workos-roles" id="' . esc_attr( $id . '-roles' ) . '">' . sprintf( esc_html__( 'WordPress roles on this site: %s.', 'workos' ), implode( ', ', $roles ) ) . '</p>';
		}
		// Without an organization the role map cannot apply (see RoleMap::from_claims()).
		$scope = 'role_map' === $key ? \WorkOS_WP\Users\RoleMap::scope_notice() : '';
		if ( '' !== $scope ) {
			$link = is_network_admin() ? '' : sprintf( ' <a href="%1$s">%2$s</a>', esc_url( admin_url( 'options-general.php?page=workos&tab=organization' ) ), esc_html__( 'Choose the organization', 'workos' ) );
			$notes[ $id . '-scope' ] = '<div class="notice notice-warning inline" id="' . esc_attr( $id . '-scope' ) . '"><p>' . esc_html( $scope ) . $link . '</p></div>';
		}
		return $notes;
	}
}
